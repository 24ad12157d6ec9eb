package org.extmmap.model.tla;

import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * A function {@code (k1 :> v1 @@ k2 :> v2)} whose domain is neither {@code 1..n} nor a set of
 * strings (those are {@link SeqValue} and {@link RecordValue}); build it with {@link
 * TlaValue#function}.
 */
public record FunctionValue(Map<TlaValue, TlaValue> mapping) implements TlaValue {
    public FunctionValue {
        mapping = Map.copyOf(mapping);
        if (mapping.isEmpty() || isSequenceDomain(mapping.keySet()) || isRecordDomain(mapping.keySet())) {
            throw new IllegalArgumentException("not a normal function (use TlaValue.function): " + mapping);
        }
    }

    public TlaValue apply(TlaValue argument) {
        TlaValue v = mapping.get(argument);
        if (v == null) {
            throw new NoSuchElementException(argument + " not in the domain of " + this);
        }
        return v;
    }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(" @@ ", "(", ")");
        new TreeMap<>(mapping).forEach((k, v) -> j.add(k + " :> " + v));
        return j.toString();
    }

    static boolean isSequenceDomain(Set<? extends TlaValue> domain) {
        int n = domain.size();
        for (TlaValue k : domain) {
            if (!(k instanceof IntValue i) || i.value() < 1 || i.value() > n) {
                return false;
            }
        }
        return true; // n distinct integers within 1..n are exactly 1..n
    }

    static boolean isRecordDomain(Set<? extends TlaValue> domain) {
        if (domain.isEmpty()) {
            return false;
        }
        for (TlaValue k : domain) {
            if (!(k instanceof StringValue)) {
                return false;
            }
        }
        return true;
    }
}
