package org.extmmap.conformance.graph;

import org.extmmap.model.Action;
import org.extmmap.model.Outcome;

/** One edge of the spec's graph as a test step: the call to make and the outcome the spec records. */
public record SpecStep(Action action, Outcome expected) {
}
