package org.extmmap.model.tla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GraphComparisonTest {
    private static StateGraph explore(ToySystem.Bug bug) {
        return StateGraphExplorer.withLimit(100).quiet().explore(new ToySystem(bug));
    }

    private static StateGraph tlcToy() throws IOException {
        return DotGraph.read(Resources.path("dot/toy.dot")).toStateGraph();
    }

    @Test
    void equalGraphsAreEquivalent() throws IOException {
        GraphComparison c = GraphComparison.compare("TLC", tlcToy(), "Java", explore(ToySystem.Bug.NONE));
        assertTrue(c.equivalent(), c::report);
        assertTrue(c.report().startsWith("State graphs are equivalent"));
    }

    /** The check must be able to fail: every deliberately wrong toy is reported, in the right direction. */
    @ParameterizedTest
    @EnumSource(value = ToySystem.Bug.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void everyWrongToyIsDetected(ToySystem.Bug bug) throws IOException {
        GraphComparison c = GraphComparison.compare("TLC", tlcToy(), "Java", explore(bug));
        assertFalse(c.equivalent(), bug + " went unnoticed");
        assertThrows(AssertionError.class, c::requireEquivalent);
        String report = c.report();
        assertTrue(report.startsWith("State graphs differ: TLC vs Java"), report);
        switch (bug) {
            case RESET_TO_ONE -> {
                assertEquals(1, c.statesOnlyInLeft()); // x = 0 after reset
                assertEquals(1, c.statesOnlyInRight()); // x = 1 after reset
                assertTrue(report.contains("First state only in TLC (depth 3, path: Init -> Inc -> Inc -> Reset)"),
                        report);
                assertTrue(report.contains("x: 0 | 1"), report);
                assertTrue(report.contains("First edge only in Java: Reset from state:"), report);
            }
            case STAY_MISLABELLED -> {
                assertEquals(0, c.statesOnlyInLeft() + c.statesOnlyInRight());
                assertEquals(2, c.edgesOnlyInLeft());
                assertEquals(2, c.edgesOnlyInRight());
                assertTrue(report.contains("First edge only in TLC: Stay from state:"), report);
                assertTrue(report.contains("Java has 2 step(s) from that state:"), report);
            }
            case NO_STAY -> {
                assertEquals(2, c.edgesOnlyInLeft());
                assertEquals(0, c.edgesOnlyInRight());
                assertTrue(report.contains("step Stay changes: nothing"), report);
            }
            case EXTRA_INITIAL -> {
                assertEquals(1, c.initialStatesOnlyInRight());
                assertTrue(report.contains("Initial state only in Java:"), report);
            }
            case WRONG_HISTORY_FIELD -> {
                assertEquals(2, c.statesOnlyInLeft());
                assertTrue(report.contains("last.f: <<FALSE>> | (absent)"), report);
            }
            default -> throw new AssertionError(bug);
        }
    }

    @Test
    void reportNamesCountsAndPrettyStates() {
        GraphComparison c = GraphComparison.compare("model", explore(ToySystem.Bug.NONE), "other",
                explore(ToySystem.Bug.RESET_TO_ONE));
        String report = c.report();
        assertTrue(report.contains("model: 6 states, 12 edges, 1 initial; only here: 1 states"), report);
        assertTrue(report.contains("  /\\ last = [op |-> \"reset\", set |-> {0, 2}]\n  /\\ x = 0\n"), report);
    }

    @Test
    void explorerEnforcesItsLimit() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> StateGraphExplorer.withLimit(3).quiet().explore(new ToySystem(ToySystem.Bug.NONE)));
        assertTrue(e.getMessage().contains("more than 3 states"), e.getMessage());
    }

    @Test
    void graphQueries() {
        StateGraph.Builder b = StateGraph.builder();
        int a = b.addState(Map.of("x", TlaValue.of(0)));
        int c = b.addState(Map.of("x", TlaValue.of(1)));
        int d = b.addState(Map.of("x", TlaValue.of(2)));
        assertEquals(a, b.addState(Map.of("x", TlaValue.of(0))));
        b.markInitial(a).addEdge(c, "B", d).addEdge(a, "A", c).addEdge(a, "A", c).addEdge(a, "Z", a);
        StateGraph g = b.build();
        assertEquals(3, g.edgeCount());
        assertEquals(List.of(new Edge(a, "A", c), new Edge(a, "Z", a), new Edge(c, "B", d)), g.edges());
        assertEquals(List.of(new Edge(c, "B", d)), g.outgoing(c));
        assertEquals(List.of(), g.outgoing(d));
        assertEquals(List.of(new Edge(a, "A", c), new Edge(c, "B", d)), g.shortestPathTo(d));
        assertEquals(List.of(), g.shortestPathTo(a));
        assertEquals(2, g.depths()[d]);
        assertEquals(-1, g.indexOf(Map.of("x", TlaValue.of(9))));
    }
}
