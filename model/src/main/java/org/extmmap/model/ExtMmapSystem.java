package org.extmmap.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.extmmap.model.tla.TlaValue;
import org.extmmap.model.tla.Transition;
import org.extmmap.model.tla.TransitionSystem;

/**
 * The model seen as TLC sees the spec, for {@link org.extmmap.model.tla.StateGraphExplorer}: states
 * rendered to TLA+ values, edges labelled with action names.
 */
public final class ExtMmapSystem implements TransitionSystem {
    private final ExtMmap model;
    private final TlaRendering rendering;
    // Rendered states handed out whose successors were not asked for yet: the explorer asks once
    // per state, so this holds only the frontier.
    private final Map<Map<String, TlaValue>, State> frontier = new HashMap<>();

    public ExtMmapSystem(ExtMmap model) {
        this.model = model;
        this.rendering = new TlaRendering(model.config(), true);
    }

    @Override
    public Set<Map<String, TlaValue>> initialStates() {
        return Set.of(remember(model.initial()));
    }

    @Override
    public List<Transition> successors(Map<String, TlaValue> state) {
        State s = frontier.remove(state);
        if (s == null) {
            throw new IllegalStateException("not a state this system handed out, or asked twice: " + state);
        }
        List<Transition> out = new ArrayList<>();
        for (Step step : model.steps(s)) {
            out.add(new Transition(step.label(), remember(step.next())));
        }
        return out;
    }

    private Map<String, TlaValue> remember(State s) {
        Map<String, TlaValue> rendered = rendering.render(s);
        frontier.putIfAbsent(rendered, s);
        return rendered;
    }
}
