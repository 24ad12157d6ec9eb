package org.extmmap.model.tla;

import java.util.List;
import java.util.StringJoiner;

/** A sequence or tuple {@code <<a, b>>}; also every function with domain {@code 1..n}. */
public record SeqValue(List<TlaValue> elements) implements TlaValue {
    public static final SeqValue EMPTY = new SeqValue(List.of());

    public SeqValue {
        elements = List.copyOf(elements);
    }

    public int size() {
        return elements.size();
    }

    /** TLA+ indexing: {@code s[i]} with i starting at 1. */
    public TlaValue get(int oneBased) {
        return elements.get(oneBased - 1);
    }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "<<", ">>");
        elements.forEach(e -> j.add(e.toString()));
        return j.toString();
    }
}
