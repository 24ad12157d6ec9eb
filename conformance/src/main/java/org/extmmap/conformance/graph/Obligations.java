package org.extmmap.conformance.graph;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.extmmap.model.tla.Edge;
import org.extmmap.model.tla.StateGraph;
import org.extmmap.model.tla.TlaValue;

/**
 * The test obligations of a graph: edges that differ only in the source state's {@code last} are
 * one obligation. No step of the spec reads {@code last}, so from two states equal but for it the
 * same call has the same outcome and leads to the same state: testing one edge of the class
 * tests them all. An obligation is (source state without {@code last}, label, target's {@code
 * last}), which holds the call's arguments and its outcome.
 */
public final class Obligations {
    private final int[] classOf; // by index in g.edges()
    private final int count;

    private record Key(int source, String label, TlaValue last) {
    }

    private Obligations(int[] classOf, int count) {
        this.classOf = classOf;
        this.count = count;
    }

    public static Obligations of(StateGraph g) {
        Map<Map<String, TlaValue>, Integer> sources = new HashMap<>();
        int[] sourceOf = new int[g.stateCount()];
        for (int s = 0; s < g.stateCount(); s++) {
            Map<String, TlaValue> vars = new HashMap<>(g.state(s));
            vars.remove("last");
            sourceOf[s] = sources.computeIfAbsent(vars, v -> sources.size());
        }
        List<Edge> edges = g.edges();
        Map<Key, Integer> classes = new HashMap<>();
        int[] classOf = new int[edges.size()];
        for (int i = 0; i < edges.size(); i++) {
            Edge e = edges.get(i);
            Key k = new Key(sourceOf[e.from()], e.label(), g.state(e.to()).get("last"));
            classOf[i] = classes.computeIfAbsent(k, x -> classes.size());
        }
        return new Obligations(classOf, classes.size());
    }

    /** The obligation of edge number i of {@code g.edges()}. */
    public int of(int edge) {
        return classOf[edge];
    }

    public int count() {
        return count;
    }
}
