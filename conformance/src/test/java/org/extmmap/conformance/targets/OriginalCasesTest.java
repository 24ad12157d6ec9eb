package org.extmmap.conformance.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.FileOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import org.extmmap.conformance.child.ChildHelper;
import org.extmmap.conformance.child.Reply;
import org.extmmap.conformance.sys.LibcSyscalls;
import org.extmmap.conformance.sys.AgentSyscalls;
import org.extmmap.conformance.sys.KernelUnderTest;
import org.extmmap.conformance.sys.Linux;
import org.extmmap.conformance.sys.SysResult;
import org.extmmap.conformance.sys.Syscalls;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cases the original work cares about, each in a real process (extmmap-child) so that real
 * signals, real fork and real process death are what is checked: the spec's rules for them are
 * ZeroFillAndSigbus, Lifetime (RefsExact) and the load's interruptible wait (spec/README.md).
 * Real sizes: a page is 4096 bytes. Needs extended mmap (skipped, and said so, without it).
 */
class OriginalCasesTest {
    private static final int PROT_RW = Linux.PROT_READ | Linux.PROT_WRITE;
    private final Syscalls sys = new LibcSyscalls();
    private final Timeouts t = Timeouts.fromSystemProperties();

    @BeforeEach
    void needsExtendedMmap() {
        ExtendedMmapRequired.assumeAvailable();
        // the child helper runs beside this JVM; in the guest it would need the agent to start it
        Assumptions.assumeFalse(KernelUnderTest.syscalls() instanceof AgentSyscalls,
                "NOT RUN through the guest agent: these cases drive the child helper in this JVM's kernel");
    }

    private static Reply line(String text) {
        return new Reply.Line(text);
    }

    private Reply call(ChildHelper c, String command) {
        return c.call(command, t.complete());
    }

    private Reply blocks(ChildHelper c, String command) {
        return c.call(command, t.grace());
    }

    /** A write into the child's pipe from this process, through /proc/PID/fd (a new writer). */
    private static void writeInto(ChildHelper c, int fd, int n, int value) throws IOException {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        try (FileOutputStream out = new FileOutputStream("/proc/" + c.pid() + "/fd/" + fd)) {
            out.write(b);
        }
    }

    @Test
    void sigbusExactlyPastTheLastPageAtEofAndZeroFillBeforeIt() {
        try (ChildHelper c = ChildHelper.start()) {
            assertEquals(line("ok 3 4"), call(c, "pipe"));
            assertEquals(line("ok 5000"), call(c, "write 4 5000 120"));
            assertEquals(line("ok 1"), call(c, "mmap 12288 " + Linux.PROT_READ + " " + Linux.MAP_SHARED + " 3"));
            assertEquals(line("ok 0"), call(c, "close 4")); // the last writer: EOF at F = 5000
            assertEquals(line("byte 120"), call(c, "load 1 0"));
            assertEquals(line("byte 120"), call(c, "load 1 4999"));
            assertEquals(line("byte 0"), call(c, "load 1 5000")); // zero fill of the last page
            assertEquals(line("byte 0"), call(c, "load 1 8191"));
            assertEquals(line("SIGBUS"), call(c, "load 1 8192")); // the first page without a stream byte
            assertEquals(new Reply.Died(128 + Linux.SIGBUS, Linux.SIGBUS), call(c, "loaddie 1 8192"));
        }
    }

    @Test
    void aWriteWindowHoldsEofOffAfterCloseUntilItIsUnmapped() {
        try (ChildHelper c = ChildHelper.start()) {
            assertEquals(line("ok 3 4"), call(c, "pipe"));
            assertEquals(line("ok 1"), call(c, "mmap 4096 " + PROT_RW + " " + Linux.MAP_SHARED + " 4"));
            assertEquals(line("ok 0"), call(c, "close 4"));
            assertEquals(new Reply.Silent(), blocks(c, "read 3 1")); // no EOF: the window is a writer
            assertEquals(SysResult.ok(0), sys.kill((int) c.pid(), Linux.SIGUSR1));
            assertEquals(line("signal 10"), c.next(t.complete()));
            assertEquals(line("err 4"), c.next(t.complete())); // EINTR ends the read
            assertEquals(line("ok 0"), call(c, "munmap 1"));
            assertEquals(line("ok 0 -"), call(c, "read 3 1")); // now EOF
        }
    }

    @Test
    void aReadMappingHoldsSigpipeOffAfterCloseUntilItIsUnmapped() {
        try (ChildHelper c = ChildHelper.start()) {
            assertEquals(line("ok 3 4"), call(c, "pipe"));
            assertEquals(line("ok 1"), call(c, "mmap 4096 " + Linux.PROT_READ + " " + Linux.MAP_SHARED + " 3"));
            assertEquals(line("ok 0"), call(c, "close 3"));
            assertEquals(line("ok 1"), call(c, "write 4 1 97")); // the claim is a reader: no SIGPIPE
            assertEquals(line("ok 0"), call(c, "munmap 1"));
            assertEquals(line("signal 13"), call(c, "write 4 1 97"));
            assertEquals(line("err 32"), c.next(t.complete()));
        }
    }

    @Test
    void aSignalHandlerRunsWhileALoadWaitsAndTheLoadCompletesAfterwards() throws IOException {
        try (ChildHelper c = ChildHelper.start()) {
            assertEquals(line("ok 3 4"), call(c, "pipe"));
            assertEquals(line("ok 1"), call(c, "mmap 4096 " + Linux.PROT_READ + " " + Linux.MAP_SHARED + " 3"));
            assertEquals(new Reply.Silent(), blocks(c, "load 1 10"));
            assertEquals(SysResult.ok(0), sys.kill((int) c.pid(), Linux.SIGUSR1));
            assertEquals(line("signal 10"), c.next(t.complete())); // the handler ran
            assertEquals(new Reply.Silent(), c.next(t.grace())); // and the load waits again
            writeInto(c, 4, 4096, 121);
            assertEquals(line("byte 121"), c.next(t.complete()));
        }
    }

    @Test
    void sigkillEndsAProcessBlockedInAFault() {
        try (ChildHelper c = ChildHelper.start()) {
            assertEquals(line("ok 3 4"), call(c, "pipe"));
            assertEquals(line("ok 1"), call(c, "mmap 4096 " + Linux.PROT_READ + " " + Linux.MAP_SHARED + " 3"));
            assertEquals(new Reply.Silent(), blocks(c, "load 1 0"));
            assertEquals(SysResult.ok(0), sys.kill((int) c.pid(), Linux.SIGKILL));
            assertEquals(new Reply.Died(128 + Linux.SIGKILL, Linux.SIGKILL), c.next(t.complete()));
        }
    }

    @Test
    void forkSharesAReadMappingAndAWriteWindow() {
        try (ChildHelper c = ChildHelper.start()) {
            assertEquals(line("ok 3 4"), call(c, "pipe"));
            assertEquals(line("ok 1"), call(c, "mmap 4096 " + Linux.PROT_READ + " " + Linux.MAP_SHARED + " 3"));
            assertEquals(line("ok 2"), call(c, "mmap 4096 " + PROT_RW + " " + Linux.MAP_SHARED + " 4"));
            assertEquals(line("ok 0"), call(c, "forkstore 2 0 66")); // a forked child stores into the window
            assertEquals(line("ok 0"), call(c, "msync 2 1")); // the parent commits the byte it stored
            assertEquals(line("ok 4095"), call(c, "write 4 4095 67"));
            assertEquals(line("byte 66"), call(c, "forkload 1 0")); // a forked child sees the claim
            assertEquals(line("byte 66"), call(c, "load 1 0"));
            assertEquals(line("byte 67"), call(c, "forkload 1 4095"));
        }
    }
}
