package org.extmmap.model.tla;

import java.util.Map;
import java.util.Objects;

/**
 * One step of a {@link TransitionSystem}: the name of the TLA+ action that takes it (what TLC
 * writes as the DOT edge label) and the state it leads to.
 */
public record Transition(String label, Map<String, TlaValue> target) {
    public Transition {
        Objects.requireNonNull(label);
        target = Map.copyOf(target);
    }
}
