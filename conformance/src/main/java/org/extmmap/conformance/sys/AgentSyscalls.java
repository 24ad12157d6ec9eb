package org.extmmap.conformance.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * {@link Syscalls} made by a process of extmmap-agent (src/main/c/extmmap-agent.c), elsewhere:
 * in the patched guest, reached through a virtio-serial port, or on this machine through a unix
 * socket. The calls are that process's: descriptors, addresses and task ids are its own, and
 * {@link #peek}, {@link #poke}, {@link #cpuLoad} and {@link #cpuStore} are real CPU accesses
 * there, a signal (SIGBUS, SIGSEGV) reported as EFAULT after the bytes done before it, which is
 * what process_vm_readv()/writev() report in-process.
 *
 * <p>The object made from a channel is the agent's router, process 0; {@link #spawn} and {@link
 * #fork} give real processes of their own, which {@link #vanish} ends for real. Each thread of
 * this JVM is one thread of each agent process it calls (numbered on first use), so a call that
 * blocks holds only its caller, as in-process.
 */
public final class AgentSyscalls implements Syscalls, AutoCloseable {
    private enum Op {
        PING, PIPE2, READ, WRITE, CLOSE, MMAP, MUNMAP, MSYNC, MPROTECT, MREMAP, FCNTL, POLL, FIONREAD, PEEK, POKE,
        KILL, GETPID, GETTID, MEMFD, FTRUNCATE, PIPEWAIT, SPAWN, FORK, EXIT, SIGKILL, SIGNAL,
        SIGPIPE, CLAIMEND
    }

    /** How long the kernel may take to tear a process down (scaled like every wait, conformance/README). */
    private static final Duration TEARDOWN = Duration.ofMillis(
            (long) (60_000 * Double.parseDouble(System.getProperty("extmmap.timeScale", "1"))));

    private final AgentChannel channel;
    private final int proc;

    /** Talks to an agent at the other end of {@code channel} (connected and blocking): its router. */
    public AgentSyscalls(ByteChannel channel) {
        this(new AgentChannel(channel), 0);
    }

    private AgentSyscalls(AgentChannel channel, int proc) {
        this.channel = channel;
        this.proc = proc;
    }

    private AgentChannel.Reply call(Op op, byte[] data, long... args) {
        return channel.call(proc, op.ordinal(), op + " in agent process " + proc, data, args);
    }

    private AgentChannel.Reply call(Op op, long... args) {
        return call(op, NONE, args);
    }

    private static final byte[] NONE = new byte[0];

    /** Waits for the agent's first frame (it sends one when it starts); returns the agent's pid. */
    public long awaitHello(Duration timeout) {
        return channel.awaitHello(timeout);
    }

    @Override
    public Optional<Syscalls> spawn() {
        int child = channel.newProcess();
        AgentChannel.Reply r = channel.call(0, Op.SPAWN.ordinal(), "SPAWN", NONE, child);
        if (r.errno() != 0) {
            throw new IllegalStateException("the agent could not start a process: " + Errno.name(r.errno()));
        }
        return Optional.of(new AgentSyscalls(channel, child));
    }

    @Override
    public Syscalls fork() {
        int child = channel.newProcess();
        AgentChannel.Reply r = call(Op.FORK, child);
        if (r.errno() != 0) {
            throw new IllegalStateException("fork() in agent process " + proc + " failed: " + Errno.name(r.errno()));
        }
        return new AgentSyscalls(channel, child);
    }

    @Override
    public void vanish(boolean killed) {
        if (proc == 0) {
            throw new IllegalStateException("the agent's router is no process of a run");
        }
        if (killed) {
            AgentChannel.Reply r = channel.call(0, Op.SIGKILL.ordinal(), "SIGKILL", NONE, proc);
            if (r.errno() != 0 && !(r.errno() == Errno.ESRCH && channel.isGone(proc))) {
                throw new IllegalStateException("SIGKILL of agent process " + proc + ": " + Errno.name(r.errno()));
            }
        } else {
            channel.send(proc, Op.EXIT.ordinal(), NONE); // answered by the process's end
        }
        channel.awaitGone(proc, TEARDOWN);
    }

    @Override
    public SysResult signalCaught(int tid) {
        return call(Op.SIGNAL, tid).result();
    }

    /** One round trip that makes no system call. */
    public void ping() {
        call(Op.PING);
    }

    @Override
    public PipeFds pipe2(int flags) {
        AgentChannel.Reply r = call(Op.PIPE2, flags);
        if (r.errno() != 0) {
            return new PipeFds(-1, -1, r.errno());
        }
        ByteBuffer b = ByteBuffer.wrap(r.data()).order(ByteOrder.LITTLE_ENDIAN);
        return new PipeFds(b.getInt(), b.getInt(), 0);
    }

    @Override
    public ReadResult read(int fd, int n) {
        AgentChannel.Reply r = call(Op.READ, fd, n);
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
        AgentChannel.Reply r = call(Op.POLL, fd, events, timeoutMs);
        short revents = r.errno() == 0 ? ByteBuffer.wrap(r.data()).order(ByteOrder.LITTLE_ENDIAN).getShort() : 0;
        return new PollResult(r.result(), revents);
    }

    @Override
    public SysResult fionread(int fd) {
        return call(Op.FIONREAD, fd).result();
    }

    @Override
    public ClaimEndResult claimEnd(int fd, long addr) {
        AgentChannel.Reply r = call(Op.CLAIMEND, fd, addr);
        if (r.errno() != 0) {
            return ClaimEndResult.failed(r.errno());
        }
        // the agent returns the struct's flags as the value and its bytes as 8 bytes of data
        long bytes = ByteBuffer.wrap(r.data()).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new ClaimEndResult(SysResult.ok(0), bytes, (r.result().value() & Linux.PIPE_CLAIM_FINAL) != 0);
    }

    @Override
    public ReadResult peek(long addr, int n) {
        AgentChannel.Reply r = call(Op.PEEK, addr, n);
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
    public Optional<Boolean> takeSigpipe() {
        return Optional.of(call(Op.SIGPIPE).ret() == 1);
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

    /** Closes the channel (of the router: the agent then exits). */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
