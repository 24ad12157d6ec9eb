package org.extmmap.model.tla;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A value as TLC prints it: integer, string, boolean, model value, sequence, record, set or
 * function.
 *
 * <p>Values are normalized so that Java equality is TLA+ equality: a function whose domain is
 * {@code 1..n} is a {@link SeqValue} (TLC prints it as {@code <<...>>}, and the empty function as
 * {@code << >>}), and a function whose domain is a non-empty set of strings is a {@link
 * RecordValue}. Build composite values through the factories here, which apply those rules; the
 * record constructors reject non-normal forms so that no two representations of one value exist.
 *
 * <p>{@link #toString()} is canonical TLA+ syntax (record fields, set elements and function keys
 * sorted by {@link #compareTo}), so it may order elements differently from TLC's own printing.
 */
public sealed interface TlaValue extends Comparable<TlaValue>
        permits IntValue, StringValue, BoolValue, ModelValue, SeqValue, RecordValue, SetValue,
                FunctionValue {

    BoolValue TRUE = new BoolValue(true);
    BoolValue FALSE = new BoolValue(false);

    static IntValue of(long value) {
        return new IntValue(value);
    }

    static StringValue str(String value) {
        return new StringValue(value);
    }

    static BoolValue bool(boolean value) {
        return value ? TRUE : FALSE;
    }

    /** A model value (a bare identifier such as {@code p1} bound in the TLC config). */
    static ModelValue model(String name) {
        return new ModelValue(name);
    }

    static SeqValue seq(TlaValue... elements) {
        return new SeqValue(List.of(elements));
    }

    static SeqValue seq(List<? extends TlaValue> elements) {
        return new SeqValue(List.copyOf(elements));
    }

    /** A record from alternating field names and values: {@code record("op", str("inc"), "n", of(1))}. */
    static TlaValue record(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("record needs name/value pairs: " + Arrays.toString(namesAndValues));
        }
        Map<String, TlaValue> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (!(namesAndValues[i] instanceof String name) || !(namesAndValues[i + 1] instanceof TlaValue value)) {
                throw new IllegalArgumentException("record needs String/TlaValue pairs at " + i);
            }
            if (fields.put(name, value) != null) {
                throw new IllegalArgumentException("duplicate record field " + name);
            }
        }
        return record(fields);
    }

    /** A record; the empty record is the empty function, which equals {@code << >>}. */
    static TlaValue record(Map<String, ? extends TlaValue> fields) {
        return fields.isEmpty() ? SeqValue.EMPTY : new RecordValue(Map.copyOf(fields));
    }

    static SetValue set(TlaValue... elements) {
        return set(Arrays.asList(elements));
    }

    /** A set; duplicates collapse, as in TLA+. */
    static SetValue set(Collection<? extends TlaValue> elements) {
        return new SetValue(Set.copyOf(elements));
    }

    /** The set {@code lo..hi} (empty when hi < lo). */
    static SetValue interval(long lo, long hi) {
        List<TlaValue> elements = new ArrayList<>();
        for (long i = lo; i <= hi; i++) {
            elements.add(of(i));
        }
        return set(elements);
    }

    /** A function, normalized to a sequence or record when its domain makes it one. */
    static TlaValue function(Map<? extends TlaValue, ? extends TlaValue> mapping) {
        if (mapping.isEmpty()) {
            return SeqValue.EMPTY;
        }
        if (FunctionValue.isSequenceDomain(mapping.keySet())) {
            TlaValue[] elements = new TlaValue[mapping.size()];
            mapping.forEach((k, v) -> elements[(int) ((IntValue) k).value() - 1] = v);
            return new SeqValue(List.of(elements));
        }
        if (FunctionValue.isRecordDomain(mapping.keySet())) {
            Map<String, TlaValue> fields = new LinkedHashMap<>();
            mapping.forEach((k, v) -> fields.put(((StringValue) k).value(), v));
            return new RecordValue(Map.copyOf(fields));
        }
        return new FunctionValue(Map.copyOf(mapping));
    }

    /** Canonical TLA+ syntax. */
    @Override
    String toString();

    @Override
    default int compareTo(TlaValue other) {
        return ValueOrder.compare(this, other);
    }
}
