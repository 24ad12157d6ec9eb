package org.extmmap.conformance.sys;

import java.util.Optional;

/**
 * The system calls the conformance suite makes, one method per call, results as values. Addresses
 * are plain longs: the suite compares them, computes with them and hands them back, and turns one
 * into a pointer only in {@link #cpuLoad} and {@link #cpuStore}.
 *
 * <p>Memory is observed two ways. {@link #peek} reads through {@code process_vm_readv()} on the
 * own process: the kernel resolves the page through the same fault handler as a CPU load, so it
 * blocks where a load would block and returns EFAULT where a load would raise SIGBUS, without a
 * signal. {@link #cpuLoad} is a real load by this JVM: only for memory whose outcome is known to
 * be data, since a SIGBUS here would end the JVM (a child process does the loads that may fault).
 */
public interface Syscalls {
    PipeFds pipe2(int flags);

    /** read() of up to n bytes. */
    ReadResult read(int fd, int n);

    SysResult write(int fd, byte[] data);

    SysResult close(int fd);

    /** mmap(); the value is the address. */
    SysResult mmap(long addr, long len, int prot, int flags, int fd, long offset);

    SysResult munmap(long addr, long len);

    SysResult msync(long addr, long len, int flags);

    SysResult mprotect(long addr, long len, int prot);

    /** mremap(); the value is the new address. */
    SysResult mremap(long addr, long oldLen, long newLen, int flags);

    /** fcntl() with an integer argument (F_GETPIPE_SZ, F_SETPIPE_SZ, F_GETFL, F_SETFL). */
    SysResult fcntl(int fd, int cmd, long arg);

    /** poll() of one descriptor for {@code events}, waiting at most timeoutMs (0: just look). */
    PollResult poll(int fd, short events, int timeoutMs);

    /** ioctl(FIONREAD): the bytes a read() could return now. */
    SysResult fionread(int fd);

    /**
     * ioctl(PIPE_IOC_CLAIM_END) on read end {@code fd}: of the claim mapped at {@code addr}, the
     * bytes that are in the stream so far and whether that count is final.
     */
    ClaimEndResult claimEnd(int fd, long addr);

    /** n bytes at addr, read through process_vm_readv() on the own pid. */
    ReadResult peek(long addr, int n);

    /**
     * Writes data at addr through process_vm_writev() on the own pid: a store that takes the
     * same fault path as a CPU store and returns EFAULT where a CPU store would get a signal.
     */
    SysResult poke(long addr, byte[] data);

    /** A real CPU load of the byte at addr (0..255). Only where the outcome is known to be data. */
    int cpuLoad(long addr);

    /** A real CPU store. Only where the page is known to be writable and present or fillable. */
    void cpuStore(long addr, byte value);

    SysResult kill(int pid, int signal);

    int getpid();

    /** The calling thread's kernel task id (for /proc/self/task/TID). */
    int gettid();

    /**
     * Whether task {@code tid} of this process sleeps in one of the pipe's waits: state S and a
     * wait channel in the pipe code (see {@link PipeWait}). How a driver sees a call block.
     */
    boolean pipeWaiting(int tid);

    /**
     * A new process of its own, to be process 1 of a run: none of this one's descriptors or
     * mappings. Empty where the calls are this JVM's own (a JVM cannot fork).
     */
    Optional<Syscalls> spawn();

    /** fork() of this process: the child, whose calls are made in it (descriptors and mappings inherited). */
    Syscalls fork();

    /** Ends this process by exit() (killed false) or SIGKILL; returns once the kernel has torn it down. */
    void vanish(boolean killed);

    /**
     * Sends task tid of this process a SIGUSR1, caught by a handler installed without SA_RESTART
     * (so a blocked read, write or msync ends with EINTR or a count); returns once the handler ran.
     */
    SysResult signalCaught(int tid);

    /**
     * Whether the kernel raised a SIGPIPE for this process since this was last asked (asking takes
     * it); empty where that cannot be seen: this JVM ignores SIGPIPE, so the kernel discards it.
     */
    Optional<Boolean> takeSigpipe();

    /** memfd_create(): a plain file for checking the driver on a stock kernel. */
    SysResult memfdCreate(String name, int flags);

    SysResult ftruncate(int fd, long length);

    default SysResult getPipeSize(int fd) {
        return fcntl(fd, Linux.F_GETPIPE_SZ, 0);
    }

    default SysResult setPipeSize(int fd, int size) {
        return fcntl(fd, Linux.F_SETPIPE_SZ, size);
    }
}
