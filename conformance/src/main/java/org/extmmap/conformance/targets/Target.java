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

        @Override
        void close();
    }
}
