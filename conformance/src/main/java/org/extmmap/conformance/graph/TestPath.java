package org.extmmap.conformance.graph;

import java.util.List;
import org.extmmap.model.tla.Edge;

/** A walk from an initial state of the graph: one test, replayed step by step. */
public record TestPath(int id, List<Edge> edges) {
    public TestPath {
        edges = List.copyOf(edges);
    }
}
