package org.extmmap.conformance.sys;

/** poll() on one descriptor: the number of ready descriptors (0 or 1) and its revents, or the errno. */
public record PollResult(SysResult result, short revents) {
    public boolean readable() {
        return result.ok() && (revents & Linux.POLLIN) != 0;
    }
}
