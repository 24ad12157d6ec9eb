package org.extmmap.model.tla;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/** Human-readable states and differences between states, for mismatch reports. */
public final class StatePrinter {
    private StatePrinter() {
    }

    /** One {@code /\ var = value} line per variable, sorted by name, each indented by two spaces. */
    public static String pretty(Map<String, TlaValue> state) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(state).forEach((k, v) -> sb.append("  /\\ ").append(k).append(" = ").append(v).append('\n'));
        return sb.toString();
    }

    /**
     * The places where two states differ, descending into records with mostly the same fields, functions
     * with the same domain and sequences of the same length, so that a history record shows which
     * field differs: lines like {@code last.op: "inc" | "reset"}.
     */
    public static List<String> diff(Map<String, TlaValue> left, Map<String, TlaValue> right) {
        return diff(left, right, " | ");
    }

    /** What a step from {@code before} to {@code after} changes, as {@code x: 1 -> 2, ...}. */
    public static String changes(Map<String, TlaValue> before, Map<String, TlaValue> after) {
        List<String> d = diff(before, after, " -> ");
        return d.isEmpty() ? "nothing" : String.join(", ", d);
    }

    private static List<String> diff(Map<String, TlaValue> left, Map<String, TlaValue> right, String separator) {
        List<String> out = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(left.keySet());
        names.addAll(right.keySet());
        for (String name : names) {
            diff(name, left.get(name), right.get(name), separator, out);
        }
        return out;
    }

    /** The number of variables whose values differ (missing counts as different). */
    static int distance(Map<String, TlaValue> left, Map<String, TlaValue> right) {
        int d = 0;
        for (Map.Entry<String, TlaValue> e : left.entrySet()) {
            if (!e.getValue().equals(right.get(e.getKey()))) {
                d++;
            }
        }
        for (String k : right.keySet()) {
            if (!left.containsKey(k)) {
                d++;
            }
        }
        return d;
    }

    /** Field by field only when most fields are shared; records of different kinds read better whole. */
    private static boolean similarShape(RecordValue a, RecordValue b) {
        long shared = a.fields().keySet().stream().filter(b.fields()::containsKey).count();
        long unshared = a.fields().size() + b.fields().size() - 2 * shared;
        return shared > unshared;
    }

    private static void diff(String path, TlaValue a, TlaValue b, String separator, List<String> out) {
        if (Objects.equals(a, b)) {
            return;
        }
        if (a instanceof RecordValue ra && b instanceof RecordValue rb && similarShape(ra, rb)) {
            TreeSet<String> fields = new TreeSet<>(ra.fields().keySet());
            fields.addAll(rb.fields().keySet());
            for (String f : fields) {
                diff(path + "." + f, ra.fields().get(f), rb.fields().get(f), separator, out);
            }
        } else if (a instanceof SeqValue sa && b instanceof SeqValue sb && sa.size() == sb.size()) {
            for (int i = 1; i <= sa.size(); i++) {
                diff(path + "[" + i + "]", sa.get(i), sb.get(i), separator, out);
            }
        } else if (a instanceof FunctionValue fa && b instanceof FunctionValue fb
                && fa.mapping().keySet().equals(fb.mapping().keySet())) {
            for (TlaValue k : new TreeSet<>(fa.mapping().keySet())) {
                diff(path + "[" + k + "]", fa.mapping().get(k), fb.mapping().get(k), separator, out);
            }
        } else {
            out.add(path + ": " + (a == null ? "(absent)" : a) + separator + (b == null ? "(absent)" : b));
        }
    }
}
