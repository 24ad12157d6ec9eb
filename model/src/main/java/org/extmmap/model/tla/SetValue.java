package org.extmmap.model.tla;

import java.util.Set;
import java.util.StringJoiner;

/** A finite set {@code {a, b}}; element order is irrelevant. */
public record SetValue(Set<TlaValue> elements) implements TlaValue {
    public static final SetValue EMPTY = new SetValue(Set.of());

    public SetValue {
        elements = Set.copyOf(elements);
    }

    public int size() {
        return elements.size();
    }

    public boolean contains(TlaValue v) {
        return elements.contains(v);
    }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "{", "}");
        elements.stream().sorted().forEach(e -> j.add(e.toString()));
        return j.toString();
    }
}
