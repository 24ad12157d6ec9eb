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

class ObligationsTest {
    private static Map<String, TlaValue> st(int x, String last) {
        return Map.of("x", TlaValue.of(x), "last", TlaValue.str(last));
    }

    /**
     * 0 -A-> 1 and 0 -B-> 2, where 1 and 2 differ only in last; both step C to 3 (the same
     * target: same x, same last). 1 -C-> 3 and 2 -C-> 3 are one obligation; 3 -D-> 4 another.
     */
    private static StateGraph diamond() {
        StateGraph.Builder b = StateGraph.builder();
        b.addState(st(0, "init"));
        b.addState(st(1, "A"));
        b.addState(st(1, "B"));
        b.addState(st(2, "C"));
        b.addState(st(3, "D"));
        b.markInitial(0);
        b.addEdge(0, "A", 1).addEdge(0, "B", 2).addEdge(1, "C", 3).addEdge(2, "C", 3).addEdge(3, "D", 4);
        return b.build();
    }

    @Test
    void edgesDifferingOnlyInTheSourcesLastAreOneObligation() {
        StateGraph g = diamond();
        Obligations o = Obligations.of(g);
        assertEquals(4, o.count(), "A, B, C (from 1 and from 2), D");
        List<Edge> all = g.edges();
        int c1 = o.of(all.indexOf(new Edge(1, "C", 3)));
        int c2 = o.of(all.indexOf(new Edge(2, "C", 3)));
        assertEquals(c1, c2);
    }

    @Test
    void obligationPathsTakeEveryObligationAndAMissingOneIsFound() {
        StateGraph g = diamond();
        Obligations o = Obligations.of(g);
        List<TestPath> paths = EdgeCover.obligationPaths(g, o, 10);
        assertTrue(EdgeCover.coversAllObligations(g, o, paths), paths.toString());
        assertFalse(EdgeCover.coversAll(g, paths), "one of the two C edges is left out: " + paths);
        assertFalse(EdgeCover.coversAllObligations(g, o,
                List.of(new TestPath(1, List.of(new Edge(0, "A", 1), new Edge(1, "C", 3))))), "B and D are missing");
    }

    @Test
    void quickGraphHasFewerObligationsThanEdges() {
        SpecGraphs.SpecGraph sg = SpecGraphs.of("Quick");
        Obligations o = Obligations.of(sg.graph());
        List<TestPath> paths = EdgeCover.obligationPaths(sg.graph(), o, GraphReplayTest.MAX_PATH);
        System.out.printf("Quick: %d edges, %d obligations, %d obligation paths%n", sg.graph().edgeCount(), o.count(),
                paths.size());
        assertTrue(o.count() < sg.graph().edgeCount());
        assertTrue(EdgeCover.coversAllObligations(sg.graph(), o, paths));
    }
}
