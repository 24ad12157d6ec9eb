package org.extmmap.model.tla;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A system whose reachable state graph {@link StateGraphExplorer} can build, for comparison with
 * the graph TLC dumps. States map each TLA+ variable name to its value.
 */
public interface TransitionSystem {
    Set<Map<String, TlaValue>> initialStates();

    /** Every step enabled in {@code state}; a step repeated with the same label and target counts once. */
    List<Transition> successors(Map<String, TlaValue> state);
}
