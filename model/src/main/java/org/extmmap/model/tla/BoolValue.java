package org.extmmap.model.tla;

/** TRUE or FALSE; use {@link TlaValue#TRUE} and {@link TlaValue#FALSE}. */
public record BoolValue(boolean value) implements TlaValue {
    @Override
    public String toString() {
        return value ? "TRUE" : "FALSE";
    }
}
