package org.extmmap.model.tla;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A total order on values, consistent with equals; it only fixes a canonical printing order and
 * has no TLA+ meaning.
 */
final class ValueOrder {
    private ValueOrder() {
    }

    static int compare(TlaValue a, TlaValue b) {
        int byKind = Integer.compare(rank(a), rank(b));
        if (byKind != 0) {
            return byKind;
        }
        return sameKind(a, b);
    }

    private static int sameKind(TlaValue a, TlaValue b) {
        if (a instanceof BoolValue x) {
            return Boolean.compare(x.value(), ((BoolValue) b).value());
        } else if (a instanceof IntValue x) {
            return Long.compare(x.value(), ((IntValue) b).value());
        } else if (a instanceof StringValue x) {
            return x.value().compareTo(((StringValue) b).value());
        } else if (a instanceof ModelValue x) {
            return x.name().compareTo(((ModelValue) b).name());
        } else if (a instanceof SeqValue x) {
            return compareLists(x.elements(), ((SeqValue) b).elements());
        } else if (a instanceof SetValue x) {
            return compareLists(sorted(x.elements()), sorted(((SetValue) b).elements()));
        } else if (a instanceof RecordValue x) {
            return compareMaps(x.fields(), ((RecordValue) b).fields());
        } else {
            return compareMaps(((FunctionValue) a).mapping(), ((FunctionValue) b).mapping());
        }
    }

    private static int rank(TlaValue v) {
        if (v instanceof BoolValue) return 0;
        if (v instanceof IntValue) return 1;
        if (v instanceof StringValue) return 2;
        if (v instanceof ModelValue) return 3;
        if (v instanceof SeqValue) return 4;
        if (v instanceof RecordValue) return 5;
        if (v instanceof SetValue) return 6;
        return 7;
    }

    private static <T extends Comparable<? super T>> List<T> sorted(Collection<T> c) {
        List<T> l = new ArrayList<>(c);
        l.sort(null);
        return l;
    }

    private static <T extends Comparable<? super T>> int compareLists(List<T> a, List<T> b) {
        int bySize = Integer.compare(a.size(), b.size());
        if (bySize != 0) {
            return bySize;
        }
        for (int i = 0; i < a.size(); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static <K extends Comparable<? super K>> int compareMaps(
            Map<K, TlaValue> a, Map<K, TlaValue> b) {
        List<K> ka = sorted(a.keySet());
        List<K> kb = sorted(b.keySet());
        int byKeys = compareLists(ka, kb);
        if (byKeys != 0) {
            return byKeys;
        }
        for (K k : ka) {
            int c = a.get(k).compareTo(b.get(k));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
