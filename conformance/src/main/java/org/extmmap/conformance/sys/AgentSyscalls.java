package org.extmmap.conformance.sys;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link Syscalls} made by extmmap-agent (src/main/c/extmmap-agent.c), a process elsewhere: in
 * the patched guest, reached through a virtio-serial port, or on this machine through a unix
 * socket. The calls are the agent's: descriptors, addresses and task ids are the agent process's,
 * and {@link #peek}, {@link #poke}, {@link #cpuLoad} and {@link #cpuStore} are real CPU accesses
 * there, a signal (SIGBUS, SIGSEGV) reported as EFAULT after the bytes done before it, which is
 * what process_vm_readv()/writev() report in-process.
 *
 * <p>Each thread of this JVM is one thread of the agent (numbered on first use), so a call that
 * blocks holds only its caller, as in-process. Frames are described in the agent's source.
 */
public final class AgentSyscalls implements Syscalls, AutoCloseable {
    private enum Op {
        PING, PIPE2, READ, WRITE, CLOSE, MMAP, MUNMAP, MSYNC, MPROTECT, MREMAP, FCNTL, POLL, FIONREAD, PEEK, POKE,
        KILL, GETPID, GETTID, MEMFD, FTRUNCATE, PIPEWAIT
    }

    private record Reply(long ret, int errno, byte[] data) {
        SysResult result() {
            return errno == 0 ? SysResult.ok(ret) : SysResult.failed(errno);
        }
    }

    private static final int ARGS = 6;
    private static final int HEADER = 4 + 4 + 4 + ARGS * 8;

    private final ByteChannel channel;
    private final Map<Integer, CompletableFuture<Reply>> waiting = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> threadOf = new ConcurrentHashMap<>(); // request id -> agent thread
    private final Set<Integer> busy = ConcurrentHashMap.newKeySet(); // agent threads with a request in flight
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Thread, Integer> numbers = new HashMap<>(); // guarded by itself
    private int nextNumber = 1;
    private final Thread reader;
    private volatile IOException broken;
    private final java.util.concurrent.LinkedBlockingQueue<ByteBuffer> outgoing =
            new java.util.concurrent.LinkedBlockingQueue<>();
    private final CompletableFuture<Reply> hello = new CompletableFuture<>();

    /** Talks to an agent at the other end of {@code channel} (connected and blocking). */
    public AgentSyscalls(ByteChannel channel) {
        this.channel = channel;
        waiting.put(0, hello);
        this.reader = new Thread(this::readReplies, "extmmap-agent-replies");
        reader.setDaemon(true);
        reader.start();
        Thread writer = new Thread(this::writeRequests, "extmmap-agent-requests");
        writer.setDaemon(true);
        writer.start();
    }

    // Only this thread writes: an interrupt of a caller (a test ending its process thread) would
    // close an interruptible channel under everybody's feet.
    private void writeRequests() {
        try {
            while (true) {
                ByteBuffer b = outgoing.take();
                while (b.hasRemaining()) {
                    channel.write(b);
                }
            }
        } catch (IOException e) {
            broken = e;
            waiting.values().forEach(f -> f.completeExceptionally(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readReplies() {
        try {
            while (true) {
                ByteBuffer len = readFully(4);
                int n = len.getInt(0);
                if (n < 16 || n > (64 << 20)) {
                    throw new IOException("bad reply length " + n);
                }
                ByteBuffer b = readFully(n);
                int id = b.getInt();
                long ret = b.getLong();
                int errno = b.getInt();
                byte[] data = new byte[b.remaining()];
                b.get(data);
                CompletableFuture<Reply> f = waiting.remove(id);
                if (f == null) {
                    throw new IOException("reply to request " + id + ", which nobody waits for");
                }
                Integer t = threadOf.remove(id);
                if (t != null) {
                    busy.remove(t);
                }
                f.complete(new Reply(ret, errno, data));
            }
        } catch (IOException e) {
            broken = e;
            waiting.values().forEach(f -> f.completeExceptionally(e));
        }
    }

    private ByteBuffer readFully(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new EOFException("the agent closed the channel (did the guest or the agent die?)");
            }
        }
        return b.flip();
    }

    private Reply call(Op op, byte[] data, long... args) {
        if (broken != null) {
            throw new IllegalStateException("the agent channel is broken: " + broken.getMessage(), broken);
        }
        int id = ids.incrementAndGet();
        int number = numberOf(Thread.currentThread());
        CompletableFuture<Reply> f = new CompletableFuture<>();
        busy.add(number);
        threadOf.put(id, number);
        waiting.put(id, f);
        ByteBuffer b = ByteBuffer.allocate(4 + HEADER + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(HEADER + data.length).putInt(id).putInt(number).putInt(op.ordinal());
        for (int i = 0; i < ARGS; i++) {
            b.putLong(i < args.length ? args[i] : 0);
        }
        b.put(data).flip();
        try {
            outgoing.put(b);
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the agent makes " + op, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the agent did not answer " + op + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    private static final byte[] NONE = new byte[0];

    /**
     * The agent thread for a thread of this JVM: its own while it lives; a thread that ended
     * hands its number on once its last request is answered (a test's process threads come and
     * go by the thousand, the agent keeps as many threads as are alive here at once).
     */
    private int numberOf(Thread t) {
        synchronized (numbers) {
            Integer n = numbers.get(t);
            if (n != null) {
                return n;
            }
            Thread dead = null;
            for (Map.Entry<Thread, Integer> e : numbers.entrySet()) {
                if (!e.getKey().isAlive() && !busy.contains(e.getValue())) {
                    dead = e.getKey();
                    break;
                }
            }
            int number = dead != null ? numbers.remove(dead) : nextNumber++;
            numbers.put(t, number);
            return number;
        }
    }

    private Reply call(Op op, long... args) {
        return call(op, NONE, args);
    }

    /** Waits for the agent's first frame (it sends one when it starts); returns the agent's pid. */
    public long awaitHello(java.time.Duration timeout) {
        try {
            return hello.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).ret();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the agent did not start within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the agent's channel closed before it started: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /** One round trip that makes no system call. */
    public void ping() {
        call(Op.PING);
    }

    @Override
    public PipeFds pipe2(int flags) {
        Reply r = call(Op.PIPE2, flags);
        if (r.errno() != 0) {
            return new PipeFds(-1, -1, r.errno());
        }
        ByteBuffer b = ByteBuffer.wrap(r.data()).order(ByteOrder.LITTLE_ENDIAN);
        return new PipeFds(b.getInt(), b.getInt(), 0);
    }

    @Override
    public ReadResult read(int fd, int n) {
        Reply r = call(Op.READ, fd, n);
        return r.errno() != 0 ? ReadResult.failed(r.errno()) : new ReadResult(r.result(), r.data());
    }

    @Override
    public SysResult write(int fd, byte[] data) {
        return call(Op.WRITE, data, fd).result();
    }

    @Override
    public SysResult close(int fd) {
        return call(Op.CLOSE, fd).result();
    }

    @Override
    public SysResult mmap(long addr, long len, int prot, int flags, int fd, long offset) {
        return call(Op.MMAP, addr, len, prot, flags, fd, offset).result();
    }

    @Override
    public SysResult munmap(long addr, long len) {
        return call(Op.MUNMAP, addr, len).result();
    }

    @Override
    public SysResult msync(long addr, long len, int flags) {
        return call(Op.MSYNC, addr, len, flags).result();
    }

    @Override
    public SysResult mprotect(long addr, long len, int prot) {
        return call(Op.MPROTECT, addr, len, prot).result();
    }

    @Override
    public SysResult mremap(long addr, long oldLen, long newLen, int flags) {
        return call(Op.MREMAP, addr, oldLen, newLen, flags).result();
    }

    @Override
    public SysResult fcntl(int fd, int cmd, long arg) {
        return call(Op.FCNTL, fd, cmd, arg).result();
    }

    @Override
    public PollResult poll(int fd, short events, int timeoutMs) {
        Reply r = call(Op.POLL, fd, events, timeoutMs);
        short revents = r.errno() == 0 ? ByteBuffer.wrap(r.data()).order(ByteOrder.LITTLE_ENDIAN).getShort() : 0;
        return new PollResult(r.result(), revents);
    }

    @Override
    public SysResult fionread(int fd) {
        return call(Op.FIONREAD, fd).result();
    }

    @Override
    public ReadResult peek(long addr, int n) {
        Reply r = call(Op.PEEK, addr, n);
        return r.errno() != 0 ? ReadResult.failed(r.errno()) : new ReadResult(r.result(), r.data());
    }

    @Override
    public SysResult poke(long addr, byte[] data) {
        return call(Op.POKE, data, addr).result();
    }

    @Override
    public int cpuLoad(long addr) {
        ReadResult r = peek(addr, 1);
        if (!r.ok()) {
            throw new IllegalStateException("a CPU load at " + Long.toHexString(addr) + " in the agent took a signal ("
                    + Errno.name(r.result().errno()) + ")");
        }
        return r.data()[0] & 0xff;
    }

    @Override
    public void cpuStore(long addr, byte value) {
        poke(addr, new byte[] {value}).orThrow("a CPU store at " + Long.toHexString(addr) + " in the agent");
    }

    @Override
    public SysResult kill(int pid, int signal) {
        return call(Op.KILL, pid, signal).result();
    }

    @Override
    public int getpid() {
        return (int) call(Op.GETPID).ret();
    }

    @Override
    public int gettid() {
        return (int) call(Op.GETTID).ret();
    }

    @Override
    public boolean pipeWaiting(int tid) {
        return call(Op.PIPEWAIT, tid).ret() == 1;
    }

    @Override
    public SysResult memfdCreate(String name, int flags) {
        return call(Op.MEMFD, name.getBytes(StandardCharsets.UTF_8), flags).result();
    }

    @Override
    public SysResult ftruncate(int fd, long length) {
        return call(Op.FTRUNCATE, fd, length).result();
    }

    /** Closes the channel: the agent then exits. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
