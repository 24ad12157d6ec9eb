package org.extmmap.conformance.sys;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.Optional;

/**
 * {@link Syscalls} on the C library through JNA. A call that fails returns -1 (MAP_FAILED for
 * mmap) and JNA keeps the errno it left per thread; {@link Native#getLastError()} reads it right
 * after the call, so no detail is lost and nothing is thrown. JNA's protected mode is never
 * enabled: it survives one SIGBUS at most.
 */
public final class LibcSyscalls implements Syscalls {
    private static final long MAP_FAILED = -1L;

    /** glibc's prototypes; pointers the suite computes with are passed as long (LP64 only). */
    interface Libc extends Library {
        int pipe2(int[] fds, int flags);

        long read(int fd, Pointer buf, long n);

        long write(int fd, byte[] buf, long n);

        int close(int fd);

        long mmap(long addr, long len, int prot, int flags, int fd, long offset);

        int munmap(long addr, long len);

        int msync(long addr, long len, int flags);

        int mprotect(long addr, long len, int prot);

        long mremap(long addr, long oldLen, long newLen, int flags);

        int fcntl(int fd, int cmd, long arg); // variadic in C; an integer argument passes the same way on LP64

        int poll(Pointer fds, long nfds, int timeout);

        int ioctl(int fd, long request, int[] arg);

        int ioctl(int fd, long request, Pointer arg);

        long process_vm_readv(int pid, Pointer localIov, long liovcnt, Pointer remoteIov, long riovcnt, long flags);

        long process_vm_writev(int pid, Pointer localIov, long liovcnt, Pointer remoteIov, long riovcnt, long flags);

        int kill(int pid, int sig);

        int getpid();

        int gettid();

        int memfd_create(String name, int flags);

        int ftruncate(int fd, long length);
    }

    private final Libc libc;

    public LibcSyscalls() {
        if (Native.POINTER_SIZE != 8) {
            throw new IllegalStateException("the driver passes addresses as 64-bit longs: LP64 only");
        }
        this.libc = Native.load("c", Libc.class);
    }

    private static SysResult result(long ret) {
        return ret == -1 ? SysResult.failed(Native.getLastError()) : SysResult.ok(ret);
    }

    @Override
    public PipeFds pipe2(int flags) {
        int[] fds = new int[2];
        if (libc.pipe2(fds, flags) == -1) {
            return new PipeFds(-1, -1, Native.getLastError());
        }
        return new PipeFds(fds[0], fds[1], 0);
    }

    @Override
    public ReadResult read(int fd, int n) {
        Memory buf = new Memory(Math.max(1, n));
        long got = libc.read(fd, buf, n);
        if (got == -1) {
            return ReadResult.failed(Native.getLastError());
        }
        return new ReadResult(SysResult.ok(got), buf.getByteArray(0, (int) got));
    }

    @Override
    public SysResult write(int fd, byte[] data) {
        return result(libc.write(fd, data, data.length));
    }

    @Override
    public SysResult close(int fd) {
        return result(libc.close(fd));
    }

    @Override
    public SysResult mmap(long addr, long len, int prot, int flags, int fd, long offset) {
        long p = libc.mmap(addr, len, prot, flags, fd, offset);
        return p == MAP_FAILED ? SysResult.failed(Native.getLastError()) : SysResult.ok(p);
    }

    @Override
    public SysResult munmap(long addr, long len) {
        return result(libc.munmap(addr, len));
    }

    @Override
    public SysResult msync(long addr, long len, int flags) {
        return result(libc.msync(addr, len, flags));
    }

    @Override
    public SysResult mprotect(long addr, long len, int prot) {
        return result(libc.mprotect(addr, len, prot));
    }

    @Override
    public SysResult mremap(long addr, long oldLen, long newLen, int flags) {
        long p = libc.mremap(addr, oldLen, newLen, flags);
        return p == MAP_FAILED ? SysResult.failed(Native.getLastError()) : SysResult.ok(p);
    }

    @Override
    public SysResult fcntl(int fd, int cmd, long arg) {
        return result(libc.fcntl(fd, cmd, arg));
    }

    @Override
    public PollResult poll(int fd, short events, int timeoutMs) {
        Memory pfd = new Memory(8); // struct pollfd { int fd; short events; short revents; }
        pfd.setInt(0, fd);
        pfd.setShort(4, events);
        pfd.setShort(6, (short) 0);
        int n = libc.poll(pfd, 1, timeoutMs);
        if (n == -1) {
            return new PollResult(SysResult.failed(Native.getLastError()), (short) 0);
        }
        return new PollResult(SysResult.ok(n), pfd.getShort(6));
    }

    @Override
    public SysResult fionread(int fd) {
        int[] n = new int[1];
        if (libc.ioctl(fd, Linux.FIONREAD, n) == -1) {
            return SysResult.failed(Native.getLastError());
        }
        return SysResult.ok(n[0]);
    }

    @Override
    public ClaimEndResult claimEnd(int fd, long addr) {
        Memory q = new Memory(Linux.CLAIM_END_SIZE); // struct pipe_claim_end
        q.clear();
        q.setLong(0, addr);
        if (libc.ioctl(fd, Linux.PIPE_IOC_CLAIM_END, q) == -1) {
            return ClaimEndResult.failed(Native.getLastError());
        }
        return new ClaimEndResult(SysResult.ok(0), q.getLong(8), (q.getInt(16) & Linux.PIPE_CLAIM_FINAL) != 0);
    }

    @Override
    public ReadResult peek(long addr, int n) {
        Memory buf = new Memory(Math.max(1, n));
        Memory local = new Memory(16); // struct iovec { void *iov_base; size_t iov_len; }
        local.setPointer(0, buf);
        local.setLong(8, n);
        Memory remote = new Memory(16);
        remote.setLong(0, addr);
        remote.setLong(8, n);
        long got = libc.process_vm_readv(libc.getpid(), local, 1, remote, 1, 0);
        if (got == -1) {
            return ReadResult.failed(Native.getLastError());
        }
        // a partial count means the rest faulted: the caller sees how far the read got
        return new ReadResult(SysResult.ok(got), buf.getByteArray(0, (int) got));
    }

    @Override
    public SysResult poke(long addr, byte[] data) {
        Memory buf = new Memory(Math.max(1, data.length));
        buf.write(0, data, 0, data.length);
        Memory local = new Memory(16);
        local.setPointer(0, buf);
        local.setLong(8, data.length);
        Memory remote = new Memory(16);
        remote.setLong(0, addr);
        remote.setLong(8, data.length);
        return result(libc.process_vm_writev(libc.getpid(), local, 1, remote, 1, 0));
    }

    @Override
    public int cpuLoad(long addr) {
        return new Pointer(addr).getByte(0) & 0xff;
    }

    @Override
    public void cpuStore(long addr, byte value) {
        new Pointer(addr).setByte(0, value);
    }

    @Override
    public SysResult kill(int pid, int signal) {
        return result(libc.kill(pid, signal));
    }

    @Override
    public int getpid() {
        return libc.getpid();
    }

    @Override
    public int gettid() {
        return libc.gettid();
    }

    /** The JVM ignores SIGPIPE: the kernel discards it, so EPIPE is all there is to see. */
    @Override
    public Optional<Boolean> takeSigpipe() {
        return Optional.empty();
    }

    @Override
    public boolean pipeWaiting(int tid) {
        return PipeWait.sleeping(tid);
    }

    @Override
    public SysResult memfdCreate(String name, int flags) {
        return result(libc.memfd_create(name, flags));
    }

    @Override
    public SysResult ftruncate(int fd, long length) {
        return result(libc.ftruncate(fd, length));
    }

    /** This JVM is the only process: it cannot fork, and its calls are made in it. */
    @Override
    public Optional<Syscalls> spawn() {
        return Optional.empty();
    }

    @Override
    public Syscalls fork() {
        throw new UnsupportedOperationException(NO_PROCESSES);
    }

    @Override
    public void vanish(boolean killed) {
        throw new UnsupportedOperationException(NO_PROCESSES);
    }

    @Override
    public SysResult signalCaught(int tid) {
        throw new UnsupportedOperationException(NO_PROCESSES);
    }

    private static final String NO_PROCESSES = "the in-process target is this JVM, which can neither fork, exit nor"
            + " be killed for a test; processes are made by the agent (-Dextmmap.kernel=BZIMAGE, or HostAgent)";
}
