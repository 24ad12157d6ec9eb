package org.extmmap.conformance.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Syscalls} against the kernel this JVM runs on, with objects every Linux
 * has: plain pipes, memfd and anonymous mappings. Each test states a fact of stock Linux, so a
 * driver that loses an errno, swaps arguments or misreads a struct fails here. Run for each way
 * to reach a kernel: {@link LibcSyscallsTest} (in-process) and {@link AgentSyscallsTest} (an
 * agent process).
 */
abstract class SyscallsContract {
    private static final int PAGE = Linux.PAGE_SIZE;
    protected Syscalls sys;
    private PipeFds pipe;

    /** The driver under test. */
    protected abstract Syscalls syscalls();

    /** The pid of the process that makes the calls. */
    protected abstract long callerPid();

    /** Whether the process that makes the calls can see its SIGPIPEs (this JVM ignores them). */
    protected abstract boolean seesSigpipe();

    @BeforeEach
    void openPipe() {
        sys = syscalls();
        pipe = sys.pipe2(Linux.O_CLOEXEC);
        assertTrue(pipe.ok(), () -> "pipe2: " + Errno.name(pipe.errno()));
    }

    @AfterEach
    void closePipe() {
        sys.close(pipe.readFd());
        sys.close(pipe.writeFd());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void writeThenReadInPiecesKeepsOrderAndCounts() {
        assertEquals(SysResult.ok(3), sys.write(pipe.writeFd(), ascii("abc")));
        assertEquals(SysResult.ok(3), sys.fionread(pipe.readFd()));
        assertTrue(sys.poll(pipe.readFd(), Linux.POLLIN, 0).readable());
        ReadResult first = sys.read(pipe.readFd(), 2);
        assertArrayEquals(ascii("ab"), first.data());
        assertArrayEquals(ascii("c"), sys.read(pipe.readFd(), 10).data());
        assertEquals(SysResult.ok(0), sys.fionread(pipe.readFd()));
        PollResult empty = sys.poll(pipe.readFd(), Linux.POLLIN, 0);
        assertEquals(SysResult.ok(0), empty.result());
        assertFalse(empty.readable());
    }

    @Test
    void nonBlockingReadOfEmptyPipeIsEagain() {
        long fl = sys.fcntl(pipe.readFd(), Linux.F_GETFL, 0).orThrow("F_GETFL");
        assertEquals(SysResult.ok(0), sys.fcntl(pipe.readFd(), Linux.F_SETFL, fl | Linux.O_NONBLOCK));
        assertEquals(ReadResult.failed(Errno.EAGAIN), sys.read(pipe.readFd(), 1));
    }

    @Test
    void readAfterLastWriterClosedIsEndOfFile() {
        assertEquals(SysResult.ok(0), sys.close(pipe.writeFd()));
        ReadResult eof = sys.read(pipe.readFd(), 1);
        assertEquals(SysResult.ok(0), eof.result());
        assertEquals(SysResult.failed(Errno.EBADF), sys.close(pipe.writeFd()));
    }

    @Test
    void writeWithoutReaderIsEpipe() {
        // the JVM ignores SIGPIPE, so the errno is what remains to see in-process
        sys.close(pipe.readFd());
        assertEquals(SysResult.failed(Errno.EPIPE), sys.write(pipe.writeFd(), ascii("x")));
    }

    @Test
    void sigpipeIsSeenExactlyWhenRaised() {
        sys.takeSigpipe(); // none left from before
        assertEquals(SysResult.ok(1), sys.write(pipe.writeFd(), ascii("x")));
        assertEquals(seesSigpipe() ? java.util.Optional.of(false) : java.util.Optional.empty(), sys.takeSigpipe(),
                "after a write() with a reader");
        sys.close(pipe.readFd());
        assertEquals(SysResult.failed(Errno.EPIPE), sys.write(pipe.writeFd(), ascii("x")));
        assertEquals(seesSigpipe() ? java.util.Optional.of(true) : java.util.Optional.empty(), sys.takeSigpipe(),
                "after a write() without a reader");
        assertEquals(seesSigpipe() ? java.util.Optional.of(false) : java.util.Optional.empty(), sys.takeSigpipe(),
                "asked again: the SIGPIPE was taken");
    }

    @Test
    void pipeSizeCanBeSetToOnePage() {
        assertEquals(SysResult.ok(PAGE), sys.setPipeSize(pipe.writeFd(), PAGE));
        assertEquals(SysResult.ok(PAGE), sys.getPipeSize(pipe.readFd()));
        assertEquals(SysResult.failed(Errno.EBADF), sys.getPipeSize(-1));
    }

    @Test
    void badMmapArgumentsReturnTheirErrno() {
        assertEquals(SysResult.failed(Errno.EBADF),
                sys.mmap(0, PAGE, Linux.PROT_READ, Linux.MAP_SHARED, 12345, 0));
        int fd = memfd(PAGE);
        try {
            assertEquals(SysResult.failed(Errno.EINVAL), sys.mmap(0, 0, Linux.PROT_READ, Linux.MAP_SHARED, fd, 0));
            assertEquals(SysResult.failed(Errno.EINVAL), sys.mmap(0, PAGE, Linux.PROT_READ, Linux.MAP_SHARED, fd, 1));
        } finally {
            sys.close(fd);
        }
    }

    /** Past a file's last page a CPU load gets SIGBUS; peek says EFAULT there instead. */
    @Test
    void peekSeesFileDataAndEfaultPastEndOfFile() {
        int fd = memfd(PAGE);
        try {
            assertEquals(SysResult.ok(2), sys.write(fd, ascii("hi")));
            long p = sys.mmap(0, 2L * PAGE, Linux.PROT_READ, Linux.MAP_SHARED, fd, 0).orThrow("mmap");
            try {
                ReadResult head = sys.peek(p, 3);
                assertArrayEquals(new byte[] {'h', 'i', 0}, head.data());
                assertEquals('i', sys.cpuLoad(p + 1));
                assertEquals(0, sys.cpuLoad(p + PAGE - 1)); // zero fill of the last page
                assertEquals(ReadResult.failed(Errno.EFAULT), sys.peek(p + PAGE, 1));
                // a range running into the missing page stops at the page boundary
                assertEquals(SysResult.ok(2), sys.peek(p + PAGE - 2, 4).result());
            } finally {
                assertEquals(SysResult.ok(0), sys.munmap(p, 2L * PAGE));
            }
            assertEquals(ReadResult.failed(Errno.EFAULT), sys.peek(p, 1));
        } finally {
            sys.close(fd);
        }
    }

    /** poke stores like the CPU, and says EFAULT past a file's end and on read-only pages. */
    @Test
    void pokeStoresThroughTheFaultPathAndReportsEfault() {
        int fd = memfd(PAGE);
        try {
            long p = sys.mmap(0, 2L * PAGE, Linux.PROT_READ | Linux.PROT_WRITE, Linux.MAP_SHARED, fd, 0)
                    .orThrow("mmap");
            assertEquals(SysResult.ok(3), sys.poke(p + 10, ascii("xyz")));
            assertArrayEquals(ascii("xyz"), sys.peek(p + 10, 3).data());
            assertEquals(SysResult.failed(Errno.EFAULT), sys.poke(p + PAGE, ascii("x")));
            assertEquals(SysResult.ok(0), sys.mprotect(p, PAGE, Linux.PROT_READ));
            assertEquals(SysResult.failed(Errno.EFAULT), sys.poke(p, ascii("x")));
            sys.munmap(p, 2L * PAGE);
        } finally {
            sys.close(fd);
        }
    }

    @Test
    void sharedReadOnlyMappingOfReadOnlyFileCannotBecomeWritable() {
        int fd = memfd(PAGE);
        try {
            // a shared mapping of an O_RDWR fd may be made writable: the control case
            long p = sys.mmap(0, PAGE, Linux.PROT_READ, Linux.MAP_SHARED, fd, 0).orThrow("mmap");
            assertEquals(SysResult.ok(0), sys.mprotect(p, PAGE, Linux.PROT_READ | Linux.PROT_WRITE));
            sys.cpuStore(p, (byte) 'z');
            assertArrayEquals(new byte[] {'z'}, sys.peek(p, 1).data());
            assertEquals(SysResult.ok(0), sys.msync(p, PAGE, Linux.MS_SYNC));
            assertEquals(SysResult.failed(Errno.EINVAL), sys.msync(p + 1, PAGE, Linux.MS_SYNC));
            sys.munmap(p, PAGE);
        } finally {
            sys.close(fd);
        }
    }

    @Test
    void anonymousMappingGrowsWithMremapAndIsZero() {
        long p = sys.mmap(0, PAGE, Linux.PROT_READ | Linux.PROT_WRITE, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0)
                .orThrow("mmap");
        sys.cpuStore(p + 7, (byte) 42);
        long q = sys.mremap(p, PAGE, 4L * PAGE, Linux.MREMAP_MAYMOVE).orThrow("mremap");
        assertEquals(42, sys.cpuLoad(q + 7));
        assertArrayEquals(new byte[4], sys.peek(q + 3L * PAGE, 4).data());
        assertEquals(SysResult.failed(Errno.EINVAL), sys.mremap(q, 4L * PAGE, 0, 0));
        assertEquals(SysResult.ok(0), sys.munmap(q, 4L * PAGE));
    }

    @Test
    void killChecksProcessesAndGetpidIsTheCaller() {
        assertEquals(callerPid(), sys.getpid());
        assertEquals(SysResult.ok(0), sys.kill(sys.getpid(), 0));
        assertEquals(SysResult.failed(Errno.ESRCH), sys.kill(0x3fff_fff0, 0));
    }

    /** A read() of an empty pipe sleeps in a pipe wait, and is seen there until data comes. */
    @Test
    void aBlockedReadIsSeenInAPipeWait() throws Exception {
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            int tid = other.submit(sys::gettid).get();
            java.util.concurrent.Future<ReadResult> r = other.submit(() -> sys.read(pipe.readFd(), 1));
            long end = System.nanoTime() + 10_000_000_000L;
            while (!sys.pipeWaiting(tid)) {
                assertTrue(System.nanoTime() < end, "the blocked read() was never seen in a pipe wait");
                Thread.sleep(2);
            }
            assertFalse(r.isDone());
            assertEquals(SysResult.ok(1), sys.write(pipe.writeFd(), ascii("x")));
            assertArrayEquals(ascii("x"), r.get(10, java.util.concurrent.TimeUnit.SECONDS).data());
            assertFalse(sys.pipeWaiting(tid));
        } finally {
            other.shutdownNow();
        }
    }

    private int memfd(long size) {
        int fd = (int) sys.memfdCreate("extmmap-test", Linux.MFD_CLOEXEC).orThrow("memfd_create");
        sys.ftruncate(fd, size).orThrow("ftruncate");
        return fd;
    }
}
