package org.extmmap.conformance.sys;

/**
 * What a system call returned: its value, or the errno it failed with. A value, never an
 * exception, so that a test can compare the error itself with what the spec says.
 *
 * @param value the call's return value (an address for mmap/mremap); meaningless when failed
 * @param errno 0 on success, else the error number the call set
 */
public record SysResult(long value, int errno) {
    public SysResult {
        if (errno < 0) {
            throw new IllegalArgumentException("errno must be >= 0: " + errno);
        }
    }

    public static SysResult ok(long value) {
        return new SysResult(value, 0);
    }

    public static SysResult failed(int errno) {
        if (errno == 0) {
            // a failing return with errno 0 would read as success: keep it visible instead
            throw new IllegalStateException("call failed but errno is 0");
        }
        return new SysResult(-1, errno);
    }

    public boolean ok() {
        return errno == 0;
    }

    /** The value, or an exception naming the errno: for set-up calls that must not fail. */
    public long orThrow(String what) {
        if (!ok()) {
            throw new IllegalStateException(what + " failed: " + Errno.name(errno));
        }
        return value;
    }

    @Override
    public String toString() {
        return ok() ? "ok(" + value + ")" : Errno.name(errno);
    }
}
