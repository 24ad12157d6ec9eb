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
    private final Obligations obligations; // null: every edge is tested on its own

    public EdgeTally(StateGraph g, List<TestPath> paths) {
        this(g, paths, null);
    }

    /** A tally whose paths cover {@code obligations} (one edge of each), not every edge. */
    public EdgeTally(StateGraph g, List<TestPath> paths, Obligations obligations) {
        this.obligations = obligations;
        List<Edge> all = g.edges();
        total = all.size();
        for (int i = 0; i < total; i++) {
            ids.put(all.get(i), i);
        }
        for (TestPath p : paths) {
            p.edges().forEach(e -> covered.set(ids.get(e)));
        }
    }

    /**
     * Prints a line of progress (at most every 30 s, and at the last path) as paths are recorded:
     * a kernel configuration can run for many minutes.
     */
    public synchronized EdgeTally withProgress(String name, int paths) {
        progressName = name;
        progressPaths = paths;
        progressStart = System.nanoTime();
        progressLast = progressStart;
        return this;
    }

    private String progressName;
    private int progressPaths;
    private int recorded;
    private int failedPaths;
    private long progressStart;
    private long progressLast;

    private void progress(PathVerdict v) {
        recorded++;
        failedPaths += v instanceof PathVerdict.Failed ? 1 : 0;
        long now = System.nanoTime();
        if (progressName == null || (now - progressLast < 30_000_000_000L && recorded != progressPaths)) {
            return;
        }
        progressLast = now;
        double s = (now - progressStart) / 1e9;
        Counts o = obligations != null ? obligationCounts() : counts();
        System.out.printf("[progress] %s: %,d of %,d paths in %.0f s (%.1f paths/s), %,d %s passed, %d paths failed%n",
                progressName, recorded, progressPaths, s, recorded / Math.max(s, 1e-9), o.passed(),
                obligations != null ? "obligations" : "edges", failedPaths);
    }

    public synchronized void record(TestPath path, PathVerdict v) {
        progress(v);
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

    /** The counts per obligation (an obligation counts as its edges together), or null without. */
    public synchronized Counts obligationCounts() {
        if (obligations == null) {
            return null;
        }
        int n = obligations.count();
        BitSet cov = new BitSet(n);
        BitSet pass = new BitSet(n);
        BitSet fail = new BitSet(n);
        for (int i = 0; i < total; i++) {
            int c = obligations.of(i);
            if (covered.get(i)) {
                cov.set(c);
            }
            if (passed.get(i)) {
                pass.set(c);
            }
            if (failed.get(i)) {
                fail.set(c);
            }
        }
        BitSet clean = (BitSet) pass.clone();
        clean.andNot(fail);
        BitSet attempted = (BitSet) pass.clone();
        attempted.or(fail);
        return new Counts(n, cov.cardinality(), clean.cardinality(), fail.cardinality(), n - attempted.cardinality());
    }

    /**
     * The same counts per spec action (the TLC label of the edge: Read, Write, Load, Wake, ...),
     * each action being one rule of the spec (spec/README.md names them).
     */
    public synchronized Map<String, Counts> byAction() {
        Map<String, int[]> c = new java.util.TreeMap<>();
        for (Map.Entry<Edge, Integer> e : ids.entrySet()) {
            int[] k = c.computeIfAbsent(e.getKey().label(), x -> new int[5]);
            int i = e.getValue();
            k[0]++;
            k[1] += covered.get(i) ? 1 : 0;
            k[2] += passed.get(i) && !failed.get(i) ? 1 : 0;
            k[3] += failed.get(i) ? 1 : 0;
            k[4] += passed.get(i) || failed.get(i) ? 0 : 1;
        }
        Map<String, Counts> out = new java.util.TreeMap<>();
        c.forEach((label, k) -> out.put(label, new Counts(k[0], k[1], k[2], k[3], k[4])));
        return out;
    }

    /** The obligation counts per spec action (every edge of an obligation has the same action). */
    public synchronized Map<String, Counts> obligationsByAction() {
        if (obligations == null) {
            return byAction();
        }
        Map<String, BitSet[]> sets = new java.util.TreeMap<>();
        for (Map.Entry<Edge, Integer> e : ids.entrySet()) {
            BitSet[] b = sets.computeIfAbsent(e.getKey().label(),
                    x -> new BitSet[] {new BitSet(), new BitSet(), new BitSet(), new BitSet()});
            int i = e.getValue();
            int c = obligations.of(i);
            b[0].set(c);
            if (covered.get(i)) {
                b[1].set(c);
            }
            if (passed.get(i)) {
                b[2].set(c);
            }
            if (failed.get(i)) {
                b[3].set(c);
            }
        }
        Map<String, Counts> out = new java.util.TreeMap<>();
        sets.forEach((label, b) -> {
            BitSet clean = (BitSet) b[2].clone();
            clean.andNot(b[3]);
            BitSet attempted = (BitSet) b[2].clone();
            attempted.or(b[3]);
            out.put(label, new Counts(b[0].cardinality(), b[1].cardinality(), clean.cardinality(),
                    b[3].cardinality(), b[0].cardinality() - attempted.cardinality()));
        });
        return out;
    }

    public record Counts(int total, int covered, int passed, int failed, int notAttempted) {
        @Override
        public String toString() {
            return total + " edges: " + covered + " covered by the paths, " + passed + " passed, " + failed
                    + " failed, " + notAttempted + " not attempted";
        }
    }
}
