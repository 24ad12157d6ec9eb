package org.extmmap.conformance.child;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.extmmap.conformance.sys.LibcSyscalls;
import org.extmmap.conformance.sys.Linux;
import org.extmmap.conformance.sys.SysResult;
import org.extmmap.conformance.sys.Syscalls;
import org.junit.jupiter.api.Test;

/** The helper on a stock kernel: real SIGBUS, a call blocked while signals arrive, death by SIGKILL. */
class ChildHelperTest {
    private static final Duration REPLY = Duration.ofSeconds(10);
    private static final Duration GRACE = Duration.ofMillis(300);
    private final Syscalls sys = new LibcSyscalls();

    private static Reply line(String text) {
        return new Reply.Line(text);
    }

    @Test
    void loadsOfAFileMappingGiveDataZeroFillAndARealSigbusPastTheEnd() {
        try (ChildHelper c = ChildHelper.start()) {
            assertEquals(line("ok 3"), c.call("memfd 4096", REPLY));
            assertEquals(line("ok 2"), c.call("write 3 2 97", REPLY));
            assertEquals(line("ok 1"), c.call("mmap 8192 1 1 3", REPLY));
            assertEquals(line("byte 97"), c.call("load 1 1", REPLY));
            assertEquals(line("byte 0"), c.call("load 1 4095", REPLY));
            assertEquals(line("SIGBUS"), c.call("load 1 4096", REPLY)); // caught: the helper lives on
            assertEquals(line("byte 97"), c.call("load 1 0", REPLY));
            assertEquals(new Reply.Died(128 + Linux.SIGBUS, Linux.SIGBUS), c.call("loaddie 1 4096", REPLY));
        }
    }

    @Test
    void blockedReadRunsTheHandlerReturnsEintrAndDiesBySigkill() {
        try (ChildHelper c = ChildHelper.start()) {
            assertEquals(line("ok 3 4"), c.call("pipe", REPLY));
            assertEquals(new Reply.Silent(), c.call("read 3 1", GRACE));
            assertEquals(SysResult.ok(0), sys.kill((int) c.pid(), Linux.SIGUSR1));
            assertEquals(line("signal 10"), c.next(REPLY));
            assertEquals(line("err 4"), c.next(REPLY));
            assertEquals(new Reply.Silent(), c.call("read 3 1", GRACE));
            assertEquals(SysResult.ok(0), sys.kill((int) c.pid(), Linux.SIGKILL));
            assertEquals(new Reply.Died(128 + Linux.SIGKILL, Linux.SIGKILL), c.next(REPLY));
        }
    }

    @Test
    void writeWithoutReaderRaisesARealSigpipe() {
        try (ChildHelper c = ChildHelper.start()) {
            assertEquals(line("ok 3 4"), c.call("pipe", REPLY));
            assertEquals(line("ok 0"), c.call("close 3", REPLY));
            assertEquals(line("signal 13"), c.call("write 4 1 97", REPLY));
            assertEquals(line("err 32"), c.next(REPLY));
            assertEquals(line("bad nonsense 1"), c.call("nonsense 1", REPLY));
        }
    }
}
