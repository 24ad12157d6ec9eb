package org.extmmap.model.tla;

import java.util.AbstractList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable graph of states (each a map from variable name to value) with labelled edges and
 * initial states. Edges form a set: a (from, label, to) triple occurs once however often it was
 * added. Built from a {@link DotGraph} dumped by TLC or by a {@link StateGraphExplorer}.
 *
 * <p>Storage is compact (edges in int arrays grouped by source) because graphs reach millions of
 * edges.
 */
public final class StateGraph {
    private final List<Map<String, TlaValue>> states;
    private final Map<Map<String, TlaValue>, Integer> indexOfState;
    private final String[] labels;
    private final Map<String, Integer> labelIds;
    private final int[] firstEdge; // edges of state s are [firstEdge[s], firstEdge[s + 1])
    private final long[] edgeKeys; // (labelId << 32) | to, sorted within each source
    private final BitSet initial;

    private StateGraph(Builder b, int[] firstEdge, long[] edgeKeys) {
        this.states = Collections.unmodifiableList(b.states);
        this.indexOfState = b.indexOfState;
        this.labels = b.labels.toArray(new String[0]);
        this.labelIds = b.labelIds;
        this.firstEdge = firstEdge;
        this.edgeKeys = edgeKeys;
        this.initial = (BitSet) b.initial.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static StateGraph fromDot(DotGraph dot) {
        return dot.toStateGraph();
    }

    public int stateCount() {
        return states.size();
    }

    public int edgeCount() {
        return edgeKeys.length;
    }

    public Map<String, TlaValue> state(int index) {
        return states.get(index);
    }

    /** States in index order: BFS order for an explored graph, file order for a DOT dump. */
    public List<Map<String, TlaValue>> states() {
        return states;
    }

    /** The index of an equal state, or -1. */
    public int indexOf(Map<String, TlaValue> state) {
        Integer i = indexOfState.get(state);
        return i == null ? -1 : i;
    }

    public boolean isInitial(int index) {
        return initial.get(index);
    }

    public int[] initialStates() {
        return initial.stream().toArray();
    }

    /** Outgoing edges of a state, sorted by label then target. */
    public List<Edge> outgoing(int from) {
        int lo = firstEdge[from];
        int n = firstEdge[from + 1] - lo;
        return new AbstractList<>() {
            @Override
            public Edge get(int i) {
                Objects.checkIndex(i, n);
                return edgeAt(from, lo + i);
            }

            @Override
            public int size() {
                return n;
            }
        };
    }

    /** All edges, grouped by source state. */
    public List<Edge> edges() {
        return new AbstractList<>() {
            @Override
            public Edge get(int i) {
                Objects.checkIndex(i, edgeKeys.length);
                int from = Arrays.binarySearch(firstEdge, i);
                if (from < 0) {
                    from = -from - 2;
                } else {
                    while (firstEdge[from + 1] == i) {
                        from++; // skip states without edges
                    }
                }
                return edgeAt(from, i);
            }

            @Override
            public int size() {
                return edgeKeys.length;
            }
        };
    }

    public boolean hasEdge(int from, String label, int to) {
        Integer id = labelIds.get(label);
        return id != null
                && Arrays.binarySearch(edgeKeys, firstEdge[from], firstEdge[from + 1], key(id, to)) >= 0;
    }

    /** The distinct edge labels, i.e. action names. */
    public List<String> labels() {
        return List.of(labels);
    }

    /** Distance of each state from the nearest initial state; -1 where unreachable. */
    public int[] depths() {
        int[] depth = new int[states.size()];
        Arrays.fill(depth, -1);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        initial.stream().forEach(s -> {
            depth[s] = 0;
            queue.add(s);
        });
        while (!queue.isEmpty()) {
            int s = queue.poll();
            for (int e = firstEdge[s]; e < firstEdge[s + 1]; e++) {
                int t = (int) edgeKeys[e];
                if (depth[t] < 0) {
                    depth[t] = depth[s] + 1;
                    queue.add(t);
                }
            }
        }
        return depth;
    }

    /** A shortest path of edges from an initial state to {@code target}; empty if it is initial; null if unreachable. */
    public List<Edge> shortestPathTo(int target) {
        int[] parentEdgeFrom = new int[states.size()];
        long[] parentKey = new long[states.size()];
        Arrays.fill(parentEdgeFrom, -2);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        initial.stream().forEach(s -> {
            parentEdgeFrom[s] = -1;
            queue.add(s);
        });
        while (!queue.isEmpty() && parentEdgeFrom[target] == -2) {
            int s = queue.poll();
            for (int e = firstEdge[s]; e < firstEdge[s + 1]; e++) {
                int t = (int) edgeKeys[e];
                if (parentEdgeFrom[t] == -2) {
                    parentEdgeFrom[t] = s;
                    parentKey[t] = edgeKeys[e];
                    queue.add(t);
                }
            }
        }
        if (parentEdgeFrom[target] == -2) {
            return null;
        }
        List<Edge> path = new ArrayList<>();
        for (int s = target; parentEdgeFrom[s] >= 0; s = parentEdgeFrom[s]) {
            path.add(new Edge(parentEdgeFrom[s], labels[(int) (parentKey[s] >>> 32)], s));
        }
        Collections.reverse(path);
        return path;
    }

    @Override
    public String toString() {
        return "StateGraph[" + stateCount() + " states, " + edgeCount() + " edges, "
                + initial.cardinality() + " initial]";
    }

    private Edge edgeAt(int from, int e) {
        return new Edge(from, labels[(int) (edgeKeys[e] >>> 32)], (int) edgeKeys[e]);
    }

    private static long key(int labelId, int to) {
        return ((long) labelId << 32) | to;
    }

    /** Collects states and edges; {@link #build()} deduplicates edges. Not thread-safe. */
    public static final class Builder {
        private static final int INTERN_LIMIT = 500_000;
        private final List<Map<String, TlaValue>> states = new ArrayList<>();
        private final Map<Map<String, TlaValue>, Integer> indexOfState = new HashMap<>();
        private final List<String> labels = new ArrayList<>();
        private final Map<String, Integer> labelIds = new HashMap<>();
        private final IntList from = new IntList();
        private final IntList label = new IntList();
        private final IntList to = new IntList();
        private final BitSet initial = new BitSet();
        private final Map<TlaValue, TlaValue> interned = new HashMap<>();
        private boolean built;

        private Builder() {
        }

        /** The index of the state, adding it if new. */
        public int addState(Map<String, TlaValue> state) {
            Integer known = indexOfState.get(state);
            if (known != null) {
                return known;
            }
            Map<String, TlaValue> shared = new HashMap<>(state.size() * 2);
            state.forEach((k, v) -> shared.put(k, intern(v)));
            Map<String, TlaValue> copy = Map.copyOf(shared);
            states.add(copy);
            indexOfState.put(copy, states.size() - 1);
            return states.size() - 1;
        }

        // Equal variable values across states become one object: graphs of a million states whose
        // values repeat (history records, buffers) then fit in a modest heap.
        private TlaValue intern(TlaValue v) {
            TlaValue known = interned.putIfAbsent(v, v);
            if (known != null) {
                return known;
            }
            if (interned.size() > INTERN_LIMIT) {
                interned.clear();
            }
            return v;
        }

        /** The index of an added state, or -1. */
        public int indexOf(Map<String, TlaValue> state) {
            Integer i = indexOfState.get(state);
            return i == null ? -1 : i;
        }

        public int stateCount() {
            return states.size();
        }

        Map<String, TlaValue> stateOf(int index) {
            return states.get(index);
        }

        public Builder markInitial(int state) {
            Objects.checkIndex(state, states.size());
            initial.set(state);
            return this;
        }

        public Builder addEdge(int fromState, String edgeLabel, int toState) {
            Objects.checkIndex(fromState, states.size());
            Objects.checkIndex(toState, states.size());
            from.add(fromState);
            label.add(labelIds.computeIfAbsent(edgeLabel, l -> {
                labels.add(l);
                return labels.size() - 1;
            }));
            to.add(toState);
            return this;
        }

        /** Builds the graph; the builder must not be used afterwards (the graph shares its state list). */
        public StateGraph build() {
            if (built) {
                throw new IllegalStateException("already built");
            }
            built = true;
            int n = states.size();
            // Counting sort by source, then sort and deduplicate (label, target) keys per source.
            int[] first = new int[n + 1];
            for (int i = 0; i < from.size(); i++) {
                first[from.get(i) + 1]++;
            }
            for (int s = 0; s < n; s++) {
                first[s + 1] += first[s];
            }
            long[] keys = new long[from.size()];
            int[] fill = Arrays.copyOf(first, n);
            for (int i = 0; i < from.size(); i++) {
                keys[fill[from.get(i)]++] = key(label.get(i), to.get(i));
            }
            int[] compactFirst = new int[n + 1];
            int out = 0;
            for (int s = 0; s < n; s++) {
                Arrays.sort(keys, first[s], first[s + 1]);
                compactFirst[s] = out;
                for (int e = first[s]; e < first[s + 1]; e++) {
                    if (e == first[s] || keys[e] != keys[e - 1]) {
                        keys[out++] = keys[e];
                    }
                }
            }
            compactFirst[n] = out;
            return new StateGraph(this, compactFirst, Arrays.copyOf(keys, out));
        }
    }
}
