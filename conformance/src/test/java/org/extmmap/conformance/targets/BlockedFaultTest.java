package org.extmmap.conformance.targets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.extmmap.conformance.sys.Errno;
import org.extmmap.conformance.sys.KernelUnderTest;
import org.extmmap.conformance.sys.Linux;
import org.extmmap.conformance.sys.PipeFds;
import org.extmmap.conformance.sys.ReadResult;
import org.extmmap.conformance.sys.SysResult;
import org.extmmap.conformance.sys.Syscalls;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A load waiting for data must not hold the address space's lock: other threads of the process
 * must still map and unmap memory (a JVM does so all the time), and the load must complete once
 * the data is written. architecture.md: a waiting fault releases the lock and retries.
 */
class BlockedFaultTest {
    private final Syscalls sys = KernelUnderTest.syscalls();
    private final Timeouts t = Timeouts.fromSystemProperties();

    @BeforeEach
    void needsExtendedMmap() {
        ExtendedMmapRequired.assumeAvailable();
    }

    /** A one-page claim of a fresh pipe and a load of its first byte, shown to be waiting. */
    private final class WaitingLoad implements AutoCloseable {
        final PipeFds pipe = sys.pipe2(Linux.O_CLOEXEC);
        private final long claim = sys.mmap(0, Linux.PAGE_SIZE, Linux.PROT_READ, Linux.MAP_SHARED, pipe.readFd(), 0)
                .orThrow("mmap");
        private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
            Thread th = new Thread(r, "blocked-load");
            th.setDaemon(true);
            return th;
        });
        final Future<ReadResult> load;
        // once unmapped, the address may be reused by the JVM: never unmap it twice
        private volatile boolean unmapped;

        WaitingLoad() throws InterruptedException {
            load = loader.submit(() -> sys.peek(claim, 1));
            Thread.sleep(t.grace().toMillis());
            assertFalse(load.isDone(), "the load must wait: nothing was written");
        }

        SysResult unmap() {
            unmapped = true;
            return sys.munmap(claim, Linux.PAGE_SIZE);
        }

        ReadResult result() throws Exception {
            return load.get(t.complete().toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            sys.close(pipe.writeFd()); // EOF: releases a load still waiting, whatever happened
            sys.close(pipe.readFd());
            if (!unmapped) {
                sys.munmap(claim, Linux.PAGE_SIZE);
            }
            loader.shutdownNow();
        }
    }

    @Test
    void otherThreadsMapAndUnmapWhileALoadWaits() throws Exception {
        try (WaitingLoad w = new WaitingLoad()) {
            // mmap and munmap need the address space's lock for writing
            CompletableFuture<SysResult> other = CompletableFuture.supplyAsync(() -> {
                long p = sys.mmap(0, Linux.PAGE_SIZE, Linux.PROT_READ | Linux.PROT_WRITE,
                        Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0).orThrow("anonymous mmap");
                return sys.munmap(p, Linux.PAGE_SIZE);
            });
            assertEquals(SysResult.ok(0), other.get(t.complete().toMillis(), TimeUnit.MILLISECONDS),
                    "mmap/munmap by another thread hung while a load waited in a fault");
            byte[] page = new byte[Linux.PAGE_SIZE];
            page[0] = 'x';
            assertEquals(SysResult.ok(Linux.PAGE_SIZE), sys.write(w.pipe.writeFd(), page));
            assertArrayEquals(new byte[] {'x'}, w.result().data());
        }
    }

    /**
     * Unmapping the very page a load waits on (from another thread) must not hang: the wait ends
     * (the load then fails with EFAULT, as a CPU load would fault) and munmap returns.
     */
    @Test
    void unmappingThePageALoadWaitsOnDoesNotHang() throws Exception {
        try (WaitingLoad w = new WaitingLoad()) {
            CompletableFuture<SysResult> unmap =
                    CompletableFuture.supplyAsync(w::unmap);
            assertEquals(SysResult.ok(0), unmap.get(t.complete().toMillis(), TimeUnit.MILLISECONDS),
                    "munmap of a page a load waits on hung");
            assertEquals(ReadResult.failed(Errno.EFAULT), w.result());
        }
    }
}
