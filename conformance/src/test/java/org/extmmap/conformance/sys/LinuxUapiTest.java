package org.extmmap.conformance.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.extmmap.conformance.graph.CReproducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java copy of the end query's ioctl number and struct layout ({@link Linux}) equals the
 * series' uapi header (include/uapi/linux/pipe_mmap.h, taken from the patch by
 * kernel-patch/uapi-header.sh during the build): a C program compiled against that header prints
 * the values the kernel was built with.
 */
class LinuxUapiTest {
    @Test
    void javaConstantsAreTheSeriesHeader(@TempDir Path dir) throws Exception {
        var header = CReproducer.class.getResource("uapi/linux/pipe_mmap.h");
        assertNotNull(header, "no uapi/linux/pipe_mmap.h next to CReproducer: mvn compile makes it");
        Path include = Path.of(header.toURI()).getParent().getParent();
        Path c = dir.resolve("uapi.c");
        Files.writeString(c, """
                #include <stddef.h>
                #include <stdio.h>
                #include <linux/pipe_mmap.h>
                int main(void)
                {
                	printf("%lu %zu %zu %zu %zu %d\\n", (unsigned long)PIPE_IOC_CLAIM_END,
                	       sizeof(struct pipe_claim_end), offsetof(struct pipe_claim_end, bytes),
                	       offsetof(struct pipe_claim_end, flags), offsetof(struct pipe_claim_end, pad),
                	       PIPE_CLAIM_FINAL);
                	return 0;
                }
                """);
        Process cc = new ProcessBuilder("gcc", "-I" + include, "-o", dir.resolve("uapi").toString(), c.toString())
                .redirectErrorStream(true).start();
        String ccOut = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        cc.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, cc.exitValue(), "gcc against the series header failed: " + ccOut);
        Process run = new ProcessBuilder(dir.resolve("uapi").toString()).start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        run.waitFor(60, TimeUnit.SECONDS);
        // the Java side reads addr at 0, bytes at 8, flags at 16 (LibcSyscalls.claimEnd)
        assertEquals(Linux.PIPE_IOC_CLAIM_END + " " + Linux.CLAIM_END_SIZE + " 8 16 20 " + Linux.PIPE_CLAIM_FINAL, out);
    }
}
