package org.extmmap.conformance.sys;

/**
 * ioctl(PIPE_IOC_CLAIM_END): how many bytes of the claim at an address are stream bytes so far,
 * and whether that count is final; or the errno.
 */
public record ClaimEndResult(SysResult result, long bytes, boolean isFinal) {
    public static ClaimEndResult failed(int errno) {
        return new ClaimEndResult(SysResult.failed(errno), 0, false);
    }
}
