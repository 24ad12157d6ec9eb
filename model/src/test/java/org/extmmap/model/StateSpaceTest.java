package org.extmmap.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.extmmap.model.tla.StateGraph;
import org.junit.jupiter.api.Test;

/** The model-level state space has the same shape as the rendered graph, and its paths replay. */
class StateSpaceTest {
    private final ExtMmap model = new ExtMmap(Config.read(ModelMatchesSpecTest.SPEC.resolveSibling("Quick.cfg")));

    @Test
    void sameStatesAndEdgesAsTheRenderedGraph() {
        StateSpace space = StateSpace.explore(model, 1_000_000);
        StateGraph rendered = ModelMatchesSpecTest.javaGraph(model);
        // rendering is one-to-one: distinct model states are distinct TLA+ states
        assertEquals(rendered.stateCount(), space.size());
        assertEquals(rendered.edgeCount(), space.edgeCount());
    }

    @Test
    void pathsReplayFromTheInitialState() {
        StateSpace space = StateSpace.explore(model, 1_000_000);
        for (int target : List.of(0, space.size() / 2, space.size() - 1)) {
            State s = model.initial();
            for (Step step : space.pathTo(target)) {
                s = model.take(s, step.action()).orElseThrow().next();
            }
            assertEquals(space.state(target), s);
        }
    }
}
