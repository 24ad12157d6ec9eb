package org.extmmap.conformance.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's processes against stock Linux: spawn, fork, exit, SIGKILL and a caught signal are
 * the real ones, with facts every Linux has (plain pipes, memfd). What the spec's process steps
 * rely on: a fork inherits descriptors and shared mappings, an exit or SIGKILL has released them
 * when vanish() returns, a caught signal ends a blocked read() with EINTR.
 */
class AgentProcessesTest {
    private static HostAgent agent;
    private Syscalls p1;
    private final ExecutorService other = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void start() {
        agent = new HostAgent(Path.of(System.getProperty("extmmap.agent", "target/extmmap-agent")));
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    @BeforeEach
    void spawn() {
        p1 = agent.sys().spawn().orElseThrow();
    }

    @AfterEach
    void end() {
        other.shutdownNow();
        p1.vanish(true);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aSpawnedProcessIsNewAndHoldsNoneOfTheRoutersDescriptors() {
        PipeFds routers = agent.sys().pipe2(Linux.O_CLOEXEC);
        Syscalls fresh = agent.sys().spawn().orElseThrow(); // spawned while the router holds a pipe
        try {
            assertNotEquals(agent.sys().getpid(), fresh.getpid());
            assertEquals(SysResult.failed(Errno.EBADF), fresh.close(routers.readFd()));
            assertEquals(SysResult.failed(Errno.EBADF), fresh.close(routers.writeFd()));
        } finally {
            fresh.vanish(true);
            agent.sys().close(routers.readFd());
            agent.sys().close(routers.writeFd());
        }
    }

    @Test
    void aForkInheritsDescriptorsAndSharedMappings() {
        PipeFds pipe = p1.pipe2(Linux.O_CLOEXEC);
        int fd = (int) p1.memfdCreate("extmmap-fork", Linux.MFD_CLOEXEC).orThrow("memfd_create");
        p1.ftruncate(fd, Linux.PAGE_SIZE).orThrow("ftruncate");
        long shared = p1.mmap(0, Linux.PAGE_SIZE, Linux.PROT_READ | Linux.PROT_WRITE, Linux.MAP_SHARED, fd, 0)
                .orThrow("mmap shared");
        long priv = p1.mmap(0, Linux.PAGE_SIZE, Linux.PROT_READ | Linux.PROT_WRITE, Linux.MAP_PRIVATE, fd, 0)
                .orThrow("mmap private");
        p1.poke(shared, ascii("s")).orThrow("store");
        p1.poke(priv, ascii("p")).orThrow("store");
        Syscalls child = p1.fork();
        try {
            assertNotEquals(p1.getpid(), child.getpid());
            assertEquals(SysResult.ok(2), child.write(pipe.writeFd(), ascii("hi")));
            assertArrayEquals(ascii("hi"), p1.read(pipe.readFd(), 2).data());
            assertArrayEquals(ascii("s"), child.peek(shared, 1).data());
            assertArrayEquals(ascii("p"), child.peek(priv, 1).data());
            child.poke(shared, ascii("S")).orThrow("child's store");
            child.poke(priv, ascii("P")).orThrow("child's store");
            assertArrayEquals(ascii("S"), p1.peek(shared, 1).data(), "MAP_SHARED is one page for both");
            assertArrayEquals(ascii("p"), p1.peek(priv, 1).data(), "MAP_PRIVATE copies diverge");
        } finally {
            child.vanish(true);
        }
    }

    @Test
    void anExitHasClosedTheProcesssDescriptorsWhenVanishReturns() {
        PipeFds pipe = p1.pipe2(Linux.O_CLOEXEC | Linux.O_NONBLOCK); // EAGAIN, not a wait, if the end is still open
        Syscalls child = p1.fork();
        p1.close(pipe.writeFd()).orThrow("close");
        child.vanish(false);
        assertEquals(SysResult.ok(0), p1.read(pipe.readFd(), 1).result(), "the last writer is gone: EOF");
        assertEquals(Errno.ESRCH, child.pipe2(0).errno(), "a request to a process that is gone");
    }

    @Test
    void sigkillEndsABlockedProcessAndItsPendingCall() throws Exception {
        PipeFds pipe = p1.pipe2(Linux.O_CLOEXEC);
        PipeFds second = p1.pipe2(Linux.O_CLOEXEC | Linux.O_NONBLOCK);
        Syscalls child = p1.fork();
        int tid = other.submit(child::gettid).get();
        Future<ReadResult> blocked = other.submit(() -> child.read(pipe.readFd(), 1));
        awaitPipeWait(child, tid);
        p1.close(second.writeFd()).orThrow("close"); // the child holds the last writer of the second pipe
        child.vanish(true);
        assertEquals(SysResult.ok(0), p1.read(second.readFd(), 1).result(), "torn down when vanish() returns");
        ExecutionException e = assertThrows(ExecutionException.class, () -> blocked.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof AgentChannel.ProcessGone, e.getCause().toString());
        p1.close(pipe.writeFd()).orThrow("close");
        assertEquals(SysResult.ok(0), p1.read(pipe.readFd(), 1).result(), "the killed writer's end is closed");
    }

    @Test
    void aCaughtSignalEndsABlockedReadWithEintr() throws Exception {
        PipeFds pipe = p1.pipe2(Linux.O_CLOEXEC);
        int tid = other.submit(p1::gettid).get();
        Future<ReadResult> blocked = other.submit(() -> p1.read(pipe.readFd(), 1));
        awaitPipeWait(p1, tid);
        assertEquals(SysResult.ok(0), p1.signalCaught(tid));
        ReadResult r = blocked.get(10, TimeUnit.SECONDS);
        assertEquals(SysResult.failed(Errno.EINTR), r.result());
        assertFalse(p1.pipeWaiting(tid));
    }

    private static void awaitPipeWait(Syscalls s, int tid) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!s.pipeWaiting(tid)) {
            assertTrue(System.nanoTime() < end, "the blocked read() was never seen in a pipe wait");
            Thread.sleep(2);
        }
    }
}
