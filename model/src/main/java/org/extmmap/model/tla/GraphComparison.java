package org.extmmap.model.tla;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compares two state graphs in both directions: states, labelled edges and initial states. Two
 * graphs are equivalent when each has exactly the other's states (by value), edges (by source
 * value, label and target value) and initial states.
 *
 * <p>{@link #report()} explains a mismatch: counts, the shallowest state found in only one graph
 * with the path to it and its difference to the nearest state of the other graph, and the first
 * edge found in only one graph, preferring a source state that both graphs have, next to the
 * other graph's steps from that state.
 */
public final class GraphComparison {
    private static final int MAX_LISTED_STEPS = 20;

    private final Side left;
    private final Side right;

    private GraphComparison(Side left, Side right) {
        this.left = left;
        this.right = right;
    }

    public static GraphComparison compare(String leftName, StateGraph leftGraph, String rightName,
            StateGraph rightGraph) {
        Side l = new Side(leftName, leftGraph);
        Side r = new Side(rightName, rightGraph);
        l.match(r);
        r.match(l);
        return new GraphComparison(l, r);
    }

    public boolean equivalent() {
        return left.statesOnly == 0 && right.statesOnly == 0 && left.edgesOnly == 0 && right.edgesOnly == 0
                && left.initialOnly == 0 && right.initialOnly == 0;
    }

    /** Throws an AssertionError carrying {@link #report()} unless the graphs are equivalent. */
    public void requireEquivalent() {
        if (!equivalent()) {
            throw new AssertionError(report());
        }
    }

    public int statesOnlyInLeft() {
        return left.statesOnly;
    }

    public int statesOnlyInRight() {
        return right.statesOnly;
    }

    public int edgesOnlyInLeft() {
        return left.edgesOnly;
    }

    public int edgesOnlyInRight() {
        return right.edgesOnly;
    }

    public int initialStatesOnlyInLeft() {
        return left.initialOnly;
    }

    public int initialStatesOnlyInRight() {
        return right.initialOnly;
    }

    public String report() {
        StringBuilder sb = new StringBuilder();
        sb.append(equivalent() ? "State graphs are equivalent: " : "State graphs differ: ")
                .append(left.name).append(" vs ").append(right.name).append('\n');
        int w = Math.max(left.name.length(), right.name.length()) + 1;
        for (Side s : List.of(left, right)) {
            sb.append(String.format("  %-" + w + "s %d states, %d edges, %d initial; only here: %d states, %d edges,"
                            + " %d initial%n", s.name + ":", s.graph.stateCount(), s.graph.edgeCount(),
                    s.graph.initialStates().length, s.statesOnly, s.edgesOnly, s.initialOnly));
        }
        for (Side s : List.of(left, right)) {
            Side o = s == left ? right : left;
            if (s.firstInitialOnly >= 0) {
                sb.append("\nInitial state only in ").append(s.name).append(":\n");
                stateWithNearest(sb, s, o, s.firstInitialOnly);
            }
            if (s.shallowestStateOnly >= 0) {
                List<Edge> path = s.graph.shortestPathTo(s.shallowestStateOnly);
                sb.append("\nFirst state only in ").append(s.name).append(path == null ? " (unreachable)"
                        : " (depth " + path.size() + ", path: " + pathLabels(path) + ")").append(":\n");
                stateWithNearest(sb, s, o, s.shallowestStateOnly);
            }
            if (s.firstEdgeOnly != null) {
                Edge e = s.firstEdgeOnly;
                sb.append("\nFirst edge only in ").append(s.name).append(": ").append(e.label())
                        .append(" from state:\n").append(StatePrinter.pretty(s.graph.state(e.from())))
                        .append("  step ").append(e.label()).append(" changes: ")
                        .append(StatePrinter.changes(s.graph.state(e.from()), s.graph.state(e.to()))).append('\n');
                int otherFrom = s.toOther[e.from()];
                if (otherFrom < 0) {
                    sb.append("  (").append(o.name).append(" does not have this source state)\n");
                } else {
                    sb.append("  target state ").append(s.toOther[e.to()] >= 0 ? "exists" : "does not exist")
                            .append(" in ").append(o.name).append('\n');
                    List<Edge> steps = o.graph.outgoing(otherFrom);
                    sb.append("  ").append(o.name).append(" has ").append(steps.size())
                            .append(" step(s) from that state:\n");
                    for (Edge oe : steps.subList(0, Math.min(steps.size(), MAX_LISTED_STEPS))) {
                        sb.append("    ").append(oe.label()).append(" changes: ")
                                .append(StatePrinter.changes(o.graph.state(oe.from()), o.graph.state(oe.to())))
                                .append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return report();
    }

    private static String pathLabels(List<Edge> path) {
        List<String> l = new ArrayList<>(List.of("Init"));
        path.forEach(e -> l.add(e.label()));
        return String.join(" -> ", l);
    }

    private static void stateWithNearest(StringBuilder sb, Side s, Side o, int state) {
        Map<String, TlaValue> st = s.graph.state(state);
        sb.append(StatePrinter.pretty(st));
        // Fewest differing variables, then fewest differing fields, then a state that only the
        // other graph has (the likely counterpart); one linear scan.
        int nearest = -1;
        long best = Long.MAX_VALUE;
        for (int i = 0; i < o.graph.stateCount(); i++) {
            long d = (long) StatePrinter.distance(st, o.graph.state(i)) << 32;
            if (d <= best) {
                long score = d | (long) StatePrinter.diff(st, o.graph.state(i)).size() << 1
                        | (o.toOther[i] < 0 ? 0 : 1);
                if (score < best) {
                    best = score;
                    nearest = i;
                }
            }
        }
        if (nearest >= 0) {
            sb.append("  nearest state in ").append(o.name).append(" differs in ").append(best >>> 32)
                    .append(" variable(s) (").append(s.name).append(" | ").append(o.name).append("):\n");
            for (String d : StatePrinter.diff(st, o.graph.state(nearest))) {
                sb.append("    ").append(d).append('\n');
            }
        }
    }

    /** One graph and what it has that the other lacks. */
    private static final class Side {
        final String name;
        final StateGraph graph;
        int[] toOther;
        int statesOnly;
        int edgesOnly;
        int initialOnly;
        int shallowestStateOnly = -1;
        int firstInitialOnly = -1;
        Edge firstEdgeOnly;
        private int bestDepth = Integer.MAX_VALUE;
        private boolean bestCommon;

        Side(String name, StateGraph graph) {
            this.name = name;
            this.graph = graph;
        }

        void match(Side other) {
            toOther = new int[graph.stateCount()];
            for (int i = 0; i < toOther.length; i++) {
                toOther[i] = other.graph.indexOf(graph.state(i));
            }
            int[] depth = graph.depths();
            for (int i = 0; i < toOther.length; i++) {
                if (toOther[i] < 0) {
                    statesOnly++;
                    if (shallowestStateOnly < 0 || rank(depth[i]) < rank(depth[shallowestStateOnly])) {
                        shallowestStateOnly = i;
                    }
                }
                if (graph.isInitial(i) && (toOther[i] < 0 || !other.graph.isInitial(toOther[i]))) {
                    initialOnly++;
                    if (firstInitialOnly < 0) {
                        firstInitialOnly = i;
                    }
                }
            }
            for (int s = 0; s < graph.stateCount(); s++) {
                for (Edge e : graph.outgoing(s)) {
                    check(e, other, depth);
                }
            }
        }

        private void check(Edge e, Side other, int[] depth) {
            int f = toOther[e.from()];
            int t = toOther[e.to()];
            if (f >= 0 && t >= 0 && other.graph.hasEdge(f, e.label(), t)) {
                return;
            }
            edgesOnly++;
            boolean common = f >= 0; // a step from a shared state pinpoints the disagreement
            int d = rank(depth[e.from()]);
            if (firstEdgeOnly == null || (common && !bestCommon) || (common == bestCommon && d < bestDepth)) {
                firstEdgeOnly = e;
                bestDepth = d;
                bestCommon = common;
            }
        }

        private static int rank(int depth) {
            return depth < 0 ? Integer.MAX_VALUE : depth;
        }
    }
}
