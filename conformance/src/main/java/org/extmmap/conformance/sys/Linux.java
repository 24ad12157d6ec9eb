package org.extmmap.conformance.sys;

/**
 * Linux constants for the calls in {@link Syscalls}, as the x86_64 and arm64 uapi headers define
 * them (the suite runs on those two; other architectures differ in O_* and signal numbers).
 */
public final class Linux {
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;

    public static final int PROT_NONE = 0;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int PROT_EXEC = 4;

    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_ANONYMOUS = 0x20;

    public static final int MS_ASYNC = 1;
    public static final int MS_INVALIDATE = 2;
    public static final int MS_SYNC = 4;

    public static final int MREMAP_MAYMOVE = 1;

    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int F_SETPIPE_SZ = 1031;
    public static final int F_GETPIPE_SZ = 1032;

    public static final int FIONREAD = 0x541B;
    /**
     * The end query of the series' uapi header include/uapi/linux/pipe_mmap.h (patch 0001):
     * _IOWR('W', 0x62, struct pipe_claim_end), 24 bytes: addr, bytes, flags, pad. LinuxUapiTest
     * compiles that header, extracted from the patch, and checks these values against it.
     */
    public static final long PIPE_IOC_CLAIM_END = 0xC0185762L;
    public static final int CLAIM_END_SIZE = 24;
    public static final int PIPE_CLAIM_FINAL = 0x1;

    public static final short POLLIN = 0x001;
    public static final short POLLOUT = 0x004;
    public static final short POLLERR = 0x008;
    public static final short POLLHUP = 0x010;

    public static final int MFD_CLOEXEC = 1;

    public static final int SIGKILL = 9;
    public static final int SIGUSR1 = 10;
    public static final int SIGBUS = 7;
    public static final int SIGPIPE = 13;
    public static final int SIGTERM = 15;

    public static final int PAGE_SIZE = 4096;

    private Linux() {
    }
}
