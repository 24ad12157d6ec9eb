package org.extmmap.conformance.targets;

/**
 * The target did something the spec's vocabulary cannot even express (an errno the spec never
 * returns, bytes that are no committed byte and not zero). Always a failure of the step.
 */
public final class OutsideSpec extends RuntimeException {
    public OutsideSpec(String message) {
        super(message);
    }
}
