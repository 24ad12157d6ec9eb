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
    /** Makes the call on process 1's thread and says what the kernel did, in the spec's terms. */
    Outcome perform(KernelProcess k, A a);

    /**
     * What the spec records for the call seen blocked. {@code queuedBefore} is the FIONREAD count
     * (whole runs) taken before the call started, -1 without a read end.
     */
    default Outcome blocked(KernelProcess k, A a, int queuedBefore) {
        throw new OutsideSpec(a + " blocked, but the spec never blocks it");
    }

    /** Writes the call as step {@code n} of a C reproducer; false if C does not reproduce it. */
    default boolean reproduce(CProgram c, int n, A a, Outcome spec) {
        return false;
    }

    /** A unit the kernel driver does not perform yet, with the reason a test reports. */
    record NotPerformed<A extends Action>(String why) implements KernelCall<A> {
        @Override
        public Outcome perform(KernelProcess k, A a) {
            throw new StepNotPerformed("the kernel driver does not perform " + a.label() + ": " + why);
        }
    }
}
