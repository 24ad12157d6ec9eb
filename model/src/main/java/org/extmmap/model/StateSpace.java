package org.extmmap.model;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reachable states of a model, by breadth-first search from {@link ExtMmap#initial()}, with
 * every step: the graph TLC explores, but with the actions' arguments on the edges, for
 * generating tests that cover every edge. State 0 is the initial state.
 */
public final class StateSpace {
    /** A step from one state to the state with index {@code to}. */
    public record Edge(Step step, int to) {
    }

    private final List<State> states;
    private final Map<State, Integer> index;
    private final List<List<Edge>> edges;
    private final int[] parent; // the state BFS reached each state from, -1 for the initial state
    private final Edge[] parentEdge;

    private StateSpace(List<State> states, Map<State, Integer> index, List<List<Edge>> edges, int[] parent,
            Edge[] parentEdge) {
        this.states = Collections.unmodifiableList(states);
        this.index = index;
        this.edges = Collections.unmodifiableList(edges);
        this.parent = parent;
        this.parentEdge = parentEdge;
    }

    /** Explores every reachable state; fails beyond {@code stateLimit} states. */
    public static StateSpace explore(ExtMmap model, int stateLimit) {
        List<State> states = new ArrayList<>();
        Map<State, Integer> index = new HashMap<>();
        List<List<Edge>> edges = new ArrayList<>();
        List<Integer> parents = new ArrayList<>();
        List<Edge> parentEdges = new ArrayList<>();
        State init = model.initial();
        states.add(init);
        index.put(init, 0);
        parents.add(-1);
        parentEdges.add(null);
        ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(0));
        while (!queue.isEmpty()) {
            int from = queue.poll();
            List<Edge> out = new ArrayList<>();
            for (Step step : model.steps(states.get(from))) {
                Integer to = index.get(step.next());
                if (to == null) {
                    if (states.size() >= stateLimit) {
                        throw new IllegalStateException("more than " + stateLimit + " states");
                    }
                    to = states.size();
                    states.add(step.next());
                    index.put(step.next(), to);
                    queue.add(to);
                    parents.add(from);
                    parentEdges.add(new Edge(step, to));
                }
                out.add(new Edge(step, to));
            }
            edges.add(List.copyOf(out));
        }
        return new StateSpace(states, index, edges, parents.stream().mapToInt(Integer::intValue).toArray(),
                parentEdges.toArray(new Edge[0]));
    }

    public int size() {
        return states.size();
    }

    public State state(int i) {
        return states.get(i);
    }

    /** The index of an equal state, or -1. */
    public int indexOf(State s) {
        return index.getOrDefault(s, -1);
    }

    public List<Edge> edges(int from) {
        return edges.get(from);
    }

    public long edgeCount() {
        return edges.stream().mapToLong(List::size).sum();
    }

    /** A shortest sequence of steps from the initial state to state {@code target}. */
    public List<Step> pathTo(int target) {
        List<Step> path = new ArrayList<>();
        for (int s = target; parent[s] >= 0; s = parent[s]) {
            path.add(parentEdge[s].step());
        }
        Collections.reverse(path);
        return path;
    }
}
