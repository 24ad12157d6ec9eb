package org.extmmap.conformance.targets;

/**
 * The target could not attempt a step (not enabled in the model, not implemented by the kernel
 * driver yet). Distinct from a wrong outcome: the test did not run that step, so it is not a pass.
 */
public final class StepNotPerformed extends RuntimeException {
    public StepNotPerformed(String message) {
        super(message);
    }
}
