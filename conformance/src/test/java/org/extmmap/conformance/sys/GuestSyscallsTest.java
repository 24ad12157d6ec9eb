package org.extmmap.conformance.sys;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@link Syscalls} contract through the agent in the guest, when the run has one
 * (-Dextmmap.kernel=BZIMAGE, see {@link KernelUnderTest}); aborted (reported as skipped) without.
 */
class GuestSyscallsTest extends SyscallsContract {
    @BeforeAll
    static void needsTheGuest() {
        Assumptions.assumeTrue(KernelUnderTest.syscalls() instanceof AgentSyscalls,
                "NOT RUN: no guest kernel in this run (-Dextmmap.kernel=BZIMAGE boots one)");
    }

    @Override
    protected Syscalls syscalls() {
        return KernelUnderTest.syscalls();
    }

    @Override
    protected boolean seesSigpipe() {
        return true;
    }

    @Override
    protected long callerPid() {
        return sys.getpid(); // the agent's, in the guest: not comparable with anything here
    }

    /** The channel's round trip through the virtio-serial port, printed (a measurement, not a check). */
    @Test
    void roundTrip() {
        AgentSyscalls a = (AgentSyscalls) KernelUnderTest.syscalls();
        for (int i = 0; i < 100; i++) {
            a.ping();
        }
        int n = 1000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            a.ping();
        }
        System.out.printf("agent round trip (virtio-serial, TCG guest): %.1f us%n",
                (System.nanoTime() - t0) / 1e3 / n);
    }
}
