package org.extmmap.model.tla;

/** A TLC model value: an uninterpreted constant printed as a bare identifier, e.g. {@code p1}. */
public record ModelValue(String name) implements TlaValue {
    public ModelValue {
        if (!StringValue.isIdentifier(name)) {
            throw new IllegalArgumentException("not an identifier: " + name);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
