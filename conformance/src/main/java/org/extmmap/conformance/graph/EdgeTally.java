package org.extmmap.conformance.graph;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.extmmap.model.tla.Edge;
import org.extmmap.model.tla.StateGraph;

/**
 * Per edge of a graph: covered by some path, passed (agreed with the spec in some replay),
 * failed (disagreed in some replay), or never attempted. Thread-safe for parallel tests.
 */
public final class EdgeTally {
    private final int total;
    private final Map<Edge, Integer> ids = new HashMap<>();
    private final BitSet covered = new BitSet();
    private final BitSet passed = new BitSet();
    private final BitSet failed = new BitSet();

    public EdgeTally(StateGraph g, List<TestPath> paths) {
        List<Edge> all = g.edges();
        total = all.size();
        for (int i = 0; i < total; i++) {
            ids.put(all.get(i), i);
        }
        for (TestPath p : paths) {
            p.edges().forEach(e -> covered.set(ids.get(e)));
        }
    }

    public synchronized void record(TestPath path, PathVerdict v) {
        List<Edge> edges = path.edges();
        for (int i = 0; i < v.steps(); i++) {
            passed.set(ids.get(edges.get(i)));
        }
        if (v instanceof PathVerdict.Failed) {
            failed.set(ids.get(edges.get(v.steps())));
        }
    }

    /** Counts: total, covered, passed (and never failed), failed, not attempted. */
    public synchronized Counts counts() {
        BitSet clean = (BitSet) passed.clone();
        clean.andNot(failed);
        BitSet attempted = (BitSet) passed.clone();
        attempted.or(failed);
        return new Counts(total, covered.cardinality(), clean.cardinality(), failed.cardinality(),
                total - attempted.cardinality());
    }

    public record Counts(int total, int covered, int passed, int failed, int notAttempted) {
        @Override
        public String toString() {
            return total + " edges: " + covered + " covered by the paths, " + passed + " passed, " + failed
                    + " failed, " + notAttempted + " not attempted";
        }
    }
}
