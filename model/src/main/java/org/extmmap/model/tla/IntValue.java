package org.extmmap.model.tla;

/** A TLA+ integer. */
public record IntValue(long value) implements TlaValue {
    @Override
    public String toString() {
        return Long.toString(value);
    }
}
