package org.extmmap.model.tla;

import static org.extmmap.model.tla.TlaValue.of;
import static org.extmmap.model.tla.TlaValue.record;
import static org.extmmap.model.tla.TlaValue.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DotGraphTest {
    private static final String SAMPLE = """
            strict digraph DiskGraph {
            nodesep=0.35;
            subgraph cluster_graph {
            color="white";
            -2009833258413842414 [label="/\\\\ last = [op |-> \\"init\\"]\\n/\\\\ x = 0",style = filled]
            -2009833258413842414 -> -8990132049250226576 [label="Inc",color="black",fontcolor="black"];
            -8990132049250226576 [label="/\\\\ last = [op |-> \\"inc\\", s |-> <<1, \\"a\\">>, f |-> {}]\\n/\\\\ x = 1"];
            -8990132049250226576 -> -8990132049250226576 [label="Stay",color="black",fontcolor="black"];
            -2009833258413842414 -> -8990132049250226576 [label="Inc",color="black",fontcolor="black"];
            {rank = same; -2009833258413842414;}
            }
            }
            """;

    @Test
    void readsNodesEdgesAndInitialStates() throws IOException {
        DotGraph dot = DotGraph.read(new StringReader(SAMPLE), "sample");
        assertEquals(2, dot.stateCount());
        assertEquals(-2009833258413842414L, dot.fingerprint(0));
        assertEquals(Map.of("x", of(0), "last", record("op", str("init"))), dot.state(0));
        assertEquals(of(1), dot.state(1).get("x"));
        assertTrue(dot.isInitial(0));
        assertFalse(dot.isInitial(1));
        assertEquals(3, dot.edgeCount());
        assertEquals(new Edge(0, "Inc", 1), dot.edge(0));
        assertEquals(new Edge(1, "Stay", 1), dot.edge(1));

        StateGraph g = dot.toStateGraph();
        assertEquals(2, g.edgeCount(), "the repeated edge counts once");
        assertTrue(g.hasEdge(0, "Inc", 1));
        assertTrue(g.hasEdge(1, "Stay", 1));
        assertFalse(g.hasEdge(1, "Inc", 1));
    }

    @Test
    void edgeBeforeTargetNodeLineAndSingleVariableStates() throws IOException {
        DotGraph dot = DotGraph.read(Resources.path("dot/one.dot"));
        assertEquals(3, dot.stateCount());
        StateGraph g = dot.toStateGraph();
        assertEquals(2, g.initialStates().length);
        int x0 = g.indexOf(Map.of("x", of(0)));
        int x1 = g.indexOf(Map.of("x", of(1)));
        int x2 = g.indexOf(Map.of("x", of(2)));
        assertTrue(g.hasEdge(x0, "A", x1));
        assertTrue(g.hasEdge(x1, "A", x2));
        assertTrue(g.hasEdge(x2, "Next", x0), "an unnamed disjunct of Next is labelled Next");
        assertEquals(3, g.edgeCount());
    }

    @Test
    void truncatedDumpIsAnError() {
        String cut = SAMPLE.lines().filter(l -> !l.startsWith("-8990132049250226576 [")).reduce("", (a, b) -> a + b + "\n");
        IOException e = assertThrows(IOException.class, () -> DotGraph.read(new StringReader(cut), "cut"));
        assertTrue(e.getMessage().contains("no node line"), e.getMessage());
    }

    @Test
    void realToyDumpMatchesTheJavaToy() throws IOException {
        StateGraph tlc = DotGraph.read(Resources.path("dot/toy.dot")).toStateGraph();
        StateGraph java = StateGraphExplorer.withLimit(100).quiet().explore(new ToySystem(ToySystem.Bug.NONE));
        GraphComparison.compare("TLC", tlc, "Java", java).requireEquivalent();
        assertEquals(6, tlc.stateCount());
        assertEquals(12, tlc.edgeCount());
    }

    @Test
    void largeGraphStreamsQuickly() throws IOException {
        // A ring of 100k states with two edges each: checks speed and the fingerprint index growth.
        int n = 100_000;
        StringBuilder sb = new StringBuilder("strict digraph DiskGraph {\n");
        for (int i = 0; i < n; i++) {
            long fp = i * 7919L - 1_000_000_000_000L;
            long next = ((i + 1) % n) * 7919L - 1_000_000_000_000L;
            sb.append(fp).append(" [label=\"/\\\\ h = [op |-> \\\"step\\\", n |-> ").append(i % 100)
                    .append("]\\n/\\\\ x = ").append(i).append('"').append(i == 0 ? ",style = filled]" : "];")
                    .append('\n');
            sb.append(fp).append(" -> ").append(next).append(" [label=\"Step\",color=\"black\"];\n");
            sb.append(fp).append(" -> ").append(fp).append(" [label=\"Stay\",color=\"black\"];\n");
        }
        sb.append("}\n");
        long t0 = System.nanoTime();
        StateGraph g = DotGraph.read(new StringReader(sb.toString()), "ring").toStateGraph();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(n, g.stateCount());
        assertEquals(2 * n, g.edgeCount());
        assertTrue(ms < 20_000, "took " + ms + " ms");
        assertTrue(g.hasEdge(n - 1, "Step", 0));
        assertEquals(n - 1, g.shortestPathTo(n - 1).size());
    }
}
