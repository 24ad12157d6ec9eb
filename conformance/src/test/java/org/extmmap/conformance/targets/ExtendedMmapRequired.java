package org.extmmap.conformance.targets;

import net.jqwik.api.lifecycle.LifecycleContext;
import org.junit.jupiter.api.Assumptions;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Skips a jqwik property (reported as skipped, never as passed) on a kernel without extended
 * mmap. An assumption inside the property would only reject each try and fail it as exhausted.
 * JUnit tests call {@link #assumeAvailable()} instead.
 */
public final class ExtendedMmapRequired implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        Availability a = ExtMmapWalkProperties.KERNEL.availability();
        return a.available() ? SkipResult.doNotSkip() : SkipResult.skip("NOT RUN: extended mmap absent: " + a.detail());
    }

    /** For JUnit tests (in a @BeforeEach): aborted, reported as skipped, on a kernel without it. */
    public static void assumeAvailable() {
        Availability a = KernelTarget.host(0).availability();
        Assumptions.assumeTrue(a.available(), () -> "NOT RUN: extended mmap absent: " + a.detail());
    }
}
