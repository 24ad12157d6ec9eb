package org.extmmap.model.tla;

/**
 * What TLC reported as violated.
 *
 * @param name the invariant or property name; null for deadlock, assertions and temporal properties (TLC
 *     does not name those)
 */
public record TlcViolation(Kind kind, String name) {
    public enum Kind {
        INVARIANT, ACTION_PROPERTY, TEMPORAL_PROPERTY, DEADLOCK, ASSUMPTION, ASSERTION
    }

    @Override
    public String toString() {
        return name == null ? kind.toString() : kind + " " + name;
    }
}
