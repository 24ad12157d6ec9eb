package org.extmmap.conformance.targets;

import org.extmmap.conformance.sys.Syscalls;
import org.extmmap.conformance.sys.SyscallsProxy;

/**
 * Holds a blocked call's thread, once its system call returns, until the driver takes the step
 * that the spec says completes it. The kernel wakes a blocked read or fault as soon as another
 * process's write lands, often before that write's own reply reaches the driver; without the
 * gate the woken call would judge its data against a stream record that does not have the write
 * yet. Only the process's own thread waits: the driver's calls on it (FIONREAD, /proc) pass.
 */
final class CallGate {
    private Thread owner;
    private boolean closed;

    synchronized void own(Thread t) {
        owner = t;
    }

    /** The call now counts as blocked: a return from here on waits for {@link #open}. */
    synchronized void close() {
        closed = true;
    }

    synchronized void open() {
        closed = false;
        notifyAll();
    }

    private boolean holding;

    /** Whether a return of the owner's call is being held: the kernel completed it. */
    synchronized boolean holding() {
        return holding;
    }

    private synchronized void pass() throws InterruptedException {
        try {
            while (closed && Thread.currentThread() == owner) {
                holding = true;
                wait();
            }
        } finally {
            holding = false;
        }
    }

    /** {@code sys} with every return on the owner's thread passing this gate. */
    Syscalls wrap(Syscalls sys) {
        return SyscallsProxy.of(sys, (m, args, call) -> {
            Object r = call.call();
            pass();
            return r;
        });
    }
}
