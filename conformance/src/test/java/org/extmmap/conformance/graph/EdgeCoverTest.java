package org.extmmap.conformance.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.extmmap.model.tla.Edge;
import org.extmmap.model.tla.StateGraph;
import org.extmmap.model.tla.TlaValue;
import org.junit.jupiter.api.Test;

class EdgeCoverTest {
    private static Map<String, TlaValue> st(int n) {
        return Map.of("x", TlaValue.of(n));
    }

    /** 0 -a-> 1 -b-> 2 (dead end), 1 -c-> 3 -d-> 1, 0 -e-> 3. */
    private static StateGraph small() {
        StateGraph.Builder b = StateGraph.builder();
        for (int i = 0; i < 4; i++) {
            b.addState(st(i));
        }
        b.markInitial(0);
        b.addEdge(0, "a", 1).addEdge(1, "b", 2).addEdge(1, "c", 3).addEdge(3, "d", 1).addEdge(0, "e", 3);
        return b.build();
    }

    @Test
    void pathsAreWalksFromTheInitialStateThatTakeEveryEdge() {
        StateGraph g = small();
        List<TestPath> paths = EdgeCover.paths(g, 10);
        assertTrue(EdgeCover.coversAll(g, paths), paths.toString());
        // the dead end 2 forces a second path at least
        assertTrue(paths.size() >= 2, paths.toString());
    }

    @Test
    void coversAllRejectsAMissingEdgeAndANonWalk() {
        StateGraph g = small();
        assertFalse(EdgeCover.coversAll(g, List.of(new TestPath(1, List.of(new Edge(0, "a", 1), new Edge(1, "b", 2))))));
        assertFalse(EdgeCover.coversAll(g, List.of(new TestPath(1, List.of(new Edge(1, "b", 2))))));
    }

    @Test
    void quickGraphIsCoveredByModeratelyManyPaths() {
        SpecGraphs.SpecGraph sg = SpecGraphs.of("Quick");
        List<TestPath> paths = GraphReplayTest.paths(sg);
        int steps = paths.stream().mapToInt(p -> p.edges().size()).sum();
        StateGraph g = sg.graph();
        // a lower bound: each edge into a state without successors ends a path of its own
        long deadEndEdges = g.edges().stream().filter(e -> g.outgoing(e.to()).isEmpty()).count();
        System.out.printf("Quick: %d edges, %d paths (at least %d: edges into dead ends), %d steps, longest %d%n",
                g.edgeCount(), paths.size(), deadEndEdges, steps,
                paths.stream().mapToInt(p -> p.edges().size()).max().orElse(0));
        assertTrue(paths.size() >= deadEndEdges);
        assertEquals(sg.graph().edgeCount(), sg.graph().edges().size());
        assertTrue(EdgeCover.coversAll(sg.graph(), paths));
    }
}
