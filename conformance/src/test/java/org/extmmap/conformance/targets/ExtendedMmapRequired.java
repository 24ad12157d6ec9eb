package org.extmmap.conformance.targets;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Skips a jqwik property (reported as skipped, never as passed) on a kernel without extended
 * mmap. An assumption inside the property would only reject each try and fail it as exhausted.
 */
public final class ExtendedMmapRequired implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        Availability a = ExtMmapWalkProperties.KERNEL.availability();
        return a.available() ? SkipResult.doNotSkip() : SkipResult.skip("NOT RUN: extended mmap absent: " + a.detail());
    }
}
