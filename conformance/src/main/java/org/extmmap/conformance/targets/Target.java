package org.extmmap.conformance.targets;

import org.extmmap.model.Action;
import org.extmmap.model.Config;
import org.extmmap.model.Outcome;

/**
 * What a test is run against: the kernel this JVM runs on, or the Java model (which checks the
 * harness itself). Tests speak the spec's language (actions, outcomes) so that one test runs
 * against either.
 */
public sealed interface Target permits KernelTarget, ModelTarget {
    String name();

    /** Whether this target can run extended-mmap tests at all, and why not. */
    Availability availability();

    /** A fresh run from the spec's initial state: one pipe, process 1 holding both ends. */
    Run start(Config cfg);

    /** One test's sequence of steps against the target. */
    interface Run extends AutoCloseable {
        /**
         * Performs the call (or waits for the wake-up) and returns what was observed, in the
         * spec's terms. {@code specBlocks} only sets how long to wait before calling the step
         * blocked (a short grace period, or a generous timeout for a step the spec says
         * completes); what is returned is what happened. Throws {@link StepNotPerformed} when
         * the target cannot attempt the step, which is never a pass.
         */
        Outcome perform(Action action, boolean specBlocks);

        /**
         * As {@link #perform(Action, boolean)}, knowing also that the spec, after this step,
         * wakes another process first ({@code othersWake}): the wake-ups that follow in the spec
         * (that process, then perhaps this one) happen in a real kernel at once, inside this
         * step, so a call the spec blocks may complete here; its outcome is then held and judged
         * at its own Wake. Targets that take steps one at a time ignore it.
         */
        default Outcome perform(Action action, boolean specBlocks, boolean othersWake) {
            return perform(action, specBlocks);
        }

        /**
         * Whether process p's blocked call has completed in the target, though the spec has not
         * woken it yet: where the spec lets several blocked calls wake in either order, the
         * target's own order shows here. Targets that take steps one at a time never say so.
         */
        default boolean completed(int p) {
            return false;
        }

        /** Whether this run makes the spec's fork, exit, signals and SIGKILL with real processes. */
        default boolean processes() {
            return true;
        }

        @Override
        void close();
    }
}
