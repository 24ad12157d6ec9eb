package org.extmmap.model.tla;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * Builds the reachable state graph of a {@link TransitionSystem} by breadth-first search, as TLC
 * does, so that state indices are in BFS order.
 *
 * @param stateLimit exploration fails beyond this many states (an incomplete graph would compare
 *     as different anyway, and an unbounded model would never finish)
 * @param progressInterval how often to report progress
 * @param progress where to report progress, or null for silence
 */
public record StateGraphExplorer(int stateLimit, Duration progressInterval, PrintStream progress) {
    public static StateGraphExplorer withLimit(int stateLimit) {
        return new StateGraphExplorer(stateLimit, Duration.ofSeconds(5), System.out);
    }

    public StateGraphExplorer quiet() {
        return new StateGraphExplorer(stateLimit, progressInterval, null);
    }

    public StateGraph explore(TransitionSystem system) {
        StateGraph.Builder graph = StateGraph.builder();
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (Map<String, TlaValue> s : system.initialStates()) {
            int before = graph.stateCount();
            int index = addWithinLimit(graph, s);
            graph.markInitial(index);
            if (index == before) {
                queue.add(index);
            }
        }
        long started = System.nanoTime();
        long nextReport = started + progressInterval.toNanos();
        long edges = 0;
        while (!queue.isEmpty()) {
            int from = queue.poll();
            for (Transition t : system.successors(graph.stateOf(from))) {
                int before = graph.stateCount();
                int to = addWithinLimit(graph, t.target());
                if (to == before) {
                    queue.add(to);
                }
                graph.addEdge(from, t.label(), to);
                edges++;
            }
            if (progress != null && System.nanoTime() > nextReport) {
                nextReport = System.nanoTime() + progressInterval.toNanos();
                progress.printf("explore: %d states, %d edges, %d queued, %ds%n", graph.stateCount(), edges,
                        queue.size(), Duration.ofNanos(System.nanoTime() - started).toSeconds());
            }
        }
        return graph.build();
    }

    private int addWithinLimit(StateGraph.Builder graph, Map<String, TlaValue> state) {
        int index = graph.indexOf(state);
        if (index >= 0) {
            return index;
        }
        if (graph.stateCount() >= stateLimit) {
            throw new IllegalStateException("more than " + stateLimit + " states: raise the limit or shrink the "
                    + "configuration; the state that did not fit: " + StatePrinter.pretty(state));
        }
        return graph.addState(state);
    }
}
