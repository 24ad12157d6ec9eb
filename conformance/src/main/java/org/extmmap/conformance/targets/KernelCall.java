package org.extmmap.conformance.targets;

import org.extmmap.conformance.graph.CProgram;
import org.extmmap.model.Action;
import org.extmmap.model.Outcome;

/**
 * The kernel half of a spec unit (model/.../units): how the driver performs the action with real
 * system calls, what the spec records when the call is seen blocked, and how the action is
 * written into a C reproducer. {@link KernelCalls} holds one per unit.
 */
public interface KernelCall<A extends Action> {
    /** Makes the call on its process's thread and says what the kernel did, in the spec's terms. */
    Outcome perform(KernelProcess k, A a);

    /**
     * Takes the step in a run: a call runs on its process's thread and may be seen blocked
     * ({@link KernelRun#call}); the steps of processes themselves (wake, fork, exit, signals,
     * kill) override this and act on the run's processes.
     */
    default Outcome step(KernelRun run, A a, boolean specBlocks) {
        return run.call(this, a, specBlocks);
    }

    /** {@link #blocked}'s {@code queuedBefore} for a call that a Wake step left blocked. */
    int STILL_BLOCKED = -2;

    /**
     * What the spec records for the call seen blocked. {@code queuedBefore} is the FIONREAD count
     * (whole runs) taken before the call started, -1 without a read end, or {@link
     * #STILL_BLOCKED}.
     */
    default Outcome blocked(KernelProcess k, A a, int queuedBefore) {
        throw new OutsideSpec(a + " blocked, but the spec never blocks it");
    }

    /** Writes the call as step {@code n} of a C reproducer; false if C does not reproduce it. */
    default boolean reproduce(CProgram c, int n, A a, Outcome spec) {
        return false;
    }

    /** A step of the run's processes, not a call made on a process's thread. */
    abstract class OfProcesses<A extends Action> implements KernelCall<A> {
        @Override
        public final Outcome perform(KernelProcess k, A a) {
            throw new IllegalStateException(a.label() + " is a step of the run's processes, not a call");
        }

        @Override
        public abstract Outcome step(KernelRun run, A a, boolean specBlocks);
    }

    /** A unit the kernel driver does not perform yet, with the reason a test reports. */
    record NotPerformed<A extends Action>(String why) implements KernelCall<A> {
        @Override
        public Outcome perform(KernelProcess k, A a) {
            throw new StepNotPerformed("the kernel driver does not perform " + a.label() + ": " + why);
        }
    }
}
