package org.extmmap.model.tla;

import java.util.Map;
import java.util.NoSuchElementException;
import java.util.StringJoiner;
import java.util.TreeMap;

/** A record {@code [a |-> 1, b |-> "x"]}; field order is irrelevant. Never empty (that is {@code << >>}). */
public record RecordValue(Map<String, TlaValue> fields) implements TlaValue {
    public RecordValue {
        fields = Map.copyOf(fields);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("the empty record is the empty sequence: use TlaValue.record(...)");
        }
    }

    public TlaValue get(String field) {
        TlaValue v = fields.get(field);
        if (v == null) {
            throw new NoSuchElementException("no field " + field + " in " + this);
        }
        return v;
    }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        new TreeMap<>(fields).forEach((k, v) -> j.add(k + " |-> " + v));
        return j.toString();
    }
}
