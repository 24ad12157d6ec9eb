package org.extmmap.conformance.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.extmmap.model.tla.Edge;
import org.extmmap.model.tla.StateGraph;

/**
 * Paths from the initial state that together take every edge of a state graph at least once, or
 * one edge of every {@link Obligations obligation}. Greedy: each path starts with the shortest
 * way to the first edge not yet taken, then keeps taking untaken edges, making short detours
 * through taken ones, until none is near or the path reaches its length limit (so that a failing
 * test stays short enough to read). Taking an edge takes its whole class (an edge is its own
 * class when every edge must be taken).
 */
public final class EdgeCover {
    private final StateGraph g;
    private final int[] first; // edges of state s: ids [first[s], first[s + 1])
    private final Edge[] edges;
    private final Map<Edge, Integer> ids = new HashMap<>();
    private final Edge[] parent; // BFS tree from the initial states: the edge into each state
    private final BitSet taken = new BitSet(); // by class
    private final int[] untakenOut; // edges out of each state whose class is untaken
    private final int[] classOf; // by local edge id
    private final Map<Integer, List<Integer>> members = new HashMap<>(); // class -> local edge ids

    private EdgeCover(StateGraph g, Obligations obligations) {
        this.g = g;
        int n = g.stateCount();
        first = new int[n + 1];
        List<Edge> all = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            first[s] = all.size();
            all.addAll(g.outgoing(s));
        }
        first[n] = all.size();
        edges = all.toArray(new Edge[0]);
        for (int e = 0; e < edges.length; e++) {
            ids.put(edges[e], e);
        }
        classOf = new int[edges.length];
        Map<Edge, Integer> global = new HashMap<>();
        List<Edge> inOrder = g.edges();
        for (int i = 0; i < inOrder.size(); i++) {
            global.put(inOrder.get(i), i);
        }
        for (int e = 0; e < edges.length; e++) {
            classOf[e] = obligations == null ? e : obligations.of(global.get(edges[e]));
            members.computeIfAbsent(classOf[e], c -> new ArrayList<>()).add(e);
        }
        untakenOut = new int[n];
        for (int s = 0; s < n; s++) {
            untakenOut[s] = first[s + 1] - first[s];
        }
        parent = new Edge[n];
        BitSet seen = new BitSet();
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int s : g.initialStates()) {
            seen.set(s);
            queue.add(s);
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            for (int e = first[s]; e < first[s + 1]; e++) {
                int t = edges[e].to();
                if (!seen.get(t)) {
                    seen.set(t);
                    parent[t] = edges[e];
                    queue.add(t);
                }
            }
        }
        for (int s = 0; s < n; s++) {
            if (!seen.get(s)) {
                throw new IllegalArgumentException("state " + s + " is unreachable from the initial states");
            }
        }
    }

    /** Paths of at most {@code maxLength} steps (longer only when the way to an edge is longer). */
    public static List<TestPath> paths(StateGraph g, int maxLength) {
        if (g.initialStates().length != 1) {
            throw new IllegalArgumentException("expected one initial state, got " + g.initialStates().length);
        }
        return new EdgeCover(g, null).cover(maxLength);
    }

    /** Paths that take one edge of every obligation (see {@link Obligations}). */
    public static List<TestPath> obligationPaths(StateGraph g, Obligations obligations, int maxLength) {
        if (g.initialStates().length != 1) {
            throw new IllegalArgumentException("expected one initial state, got " + g.initialStates().length);
        }
        return new EdgeCover(g, obligations).cover(maxLength);
    }

    private void take(List<Edge> path, Edge e) {
        path.add(e);
        int c = classOf[ids.get(e)];
        if (!taken.get(c)) {
            taken.set(c);
            for (int m : members.get(c)) {
                untakenOut[edges[m].from()]--;
            }
        }
    }

    private List<TestPath> cover(int maxLength) {
        List<TestPath> out = new ArrayList<>();
        for (int next = 0; next < edges.length; next++) {
            if (taken.get(classOf[next])) {
                continue;
            }
            List<Edge> path = new ArrayList<>();
            for (Edge e : wayTo(edges[next].from())) {
                take(path, e);
            }
            take(path, edges[next]);
            int at = edges[next].to();
            while (path.size() < maxLength) {
                Edge e = untakenFrom(at);
                if (e != null) {
                    take(path, e);
                    at = e.to();
                    continue;
                }
                List<Edge> detour = detour(at, Math.min(12, maxLength - path.size() - 1));
                if (detour == null) {
                    break;
                }
                for (Edge d : detour) {
                    take(path, d);
                }
                at = path.get(path.size() - 1).to();
            }
            out.add(new TestPath(out.size() + 1, path));
        }
        return out;
    }

    /** An untaken edge out of s, preferring one that leads to more untaken edges. */
    private Edge untakenFrom(int s) {
        Edge best = null;
        for (int e = first[s]; e < first[s + 1]; e++) {
            if (!taken.get(classOf[e]) && (best == null || untakenOut[edges[e].to()] > untakenOut[best.to()])) {
                best = edges[e];
            }
        }
        return best;
    }

    /** The shortest way from s (at most maxSteps) to a state with an untaken edge out, or null. */
    private List<Edge> detour(int s, int maxSteps) {
        if (maxSteps <= 0) {
            return null;
        }
        Map<Integer, Edge> via = new HashMap<>();
        ArrayDeque<int[]> queue = new ArrayDeque<>(); // {state, depth}
        queue.add(new int[] {s, 0});
        via.put(s, null);
        while (!queue.isEmpty()) {
            int[] q = queue.poll();
            if (q[0] != s && untakenOut[q[0]] > 0) {
                List<Edge> way = new ArrayList<>();
                for (int t = q[0]; t != s; t = via.get(t).from()) {
                    way.add(via.get(t));
                }
                java.util.Collections.reverse(way);
                return way;
            }
            if (q[1] == maxSteps) {
                continue;
            }
            for (int e = first[q[0]]; e < first[q[0] + 1]; e++) {
                int t = edges[e].to();
                if (!via.containsKey(t)) {
                    via.put(t, edges[e]);
                    queue.add(new int[] {t, q[1] + 1});
                }
            }
        }
        return null;
    }

    /** The BFS-tree way from the initial state to s. */
    private List<Edge> wayTo(int s) {
        List<Edge> way = new ArrayList<>();
        for (Edge e = parent[s]; e != null; e = parent[e.from()]) {
            way.add(e);
        }
        java.util.Collections.reverse(way);
        return way;
    }

    /** One edge of every obligation is taken by some path walking the graph. */
    public static boolean coversAllObligations(StateGraph g, Obligations obligations, List<TestPath> paths) {
        BitSet taken = takenEdges(g, paths);
        if (taken == null) {
            return false;
        }
        BitSet seen = new BitSet();
        taken.stream().forEach(e -> seen.set(obligations.of(e)));
        return seen.cardinality() == obligations.count();
    }

    /** Every edge is taken by some path: a check the test suite runs on the result. */
    public static boolean coversAll(StateGraph g, List<TestPath> paths) {
        BitSet taken = takenEdges(g, paths);
        return taken != null && taken.cardinality() == g.edges().size();
    }

    /** The edges (by index in g.edges()) the paths take, or null when one is no walk of the graph. */
    private static BitSet takenEdges(StateGraph g, List<TestPath> paths) {
        BitSet seen = new BitSet();
        Map<Edge, Integer> id = new HashMap<>();
        List<Edge> all = g.edges();
        for (int i = 0; i < all.size(); i++) {
            id.put(all.get(i), i);
        }
        for (TestPath p : paths) {
            int at = g.initialStates()[0];
            for (Edge e : p.edges()) {
                if (e.from() != at || !id.containsKey(e)) {
                    return null;
                }
                seen.set(id.get(e));
                at = e.to();
            }
        }
        return seen;
    }
}
