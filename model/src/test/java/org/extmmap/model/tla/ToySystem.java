package org.extmmap.model.tla;

import static org.extmmap.model.tla.TlaValue.function;
import static org.extmmap.model.tla.TlaValue.model;
import static org.extmmap.model.tla.TlaValue.of;
import static org.extmmap.model.tla.TlaValue.record;
import static org.extmmap.model.tla.TlaValue.seq;
import static org.extmmap.model.tla.TlaValue.set;
import static org.extmmap.model.tla.TlaValue.str;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Java twin of {@code toy/Toy.tla} with Max = 2 and Proc = {p1, p2}. {@link Bug} variants
 * deviate from the spec in one way each, to show that the graph comparison catches them.
 */
final class ToySystem implements TransitionSystem {
    enum Bug { NONE, RESET_TO_ONE, STAY_MISLABELLED, NO_STAY, EXTRA_INITIAL, WRONG_HISTORY_FIELD }

    private static final int MAX = 2;
    private static final List<ModelValue> PROCS = List.of(model("p1"), model("p2"));

    private final Bug bug;

    ToySystem(Bug bug) {
        this.bug = bug;
    }

    @Override
    public Set<Map<String, TlaValue>> initialStates() {
        Map<String, TlaValue> init = state(0, record("op", str("init")));
        return bug == Bug.EXTRA_INITIAL ? Set.of(init, state(1, record("op", str("init")))) : Set.of(init);
    }

    @Override
    public List<Transition> successors(Map<String, TlaValue> s) {
        int x = (int) ((IntValue) s.get("x")).value();
        List<Transition> out = new ArrayList<>();
        if (x < MAX) {
            for (ModelValue p : PROCS) {
                Map<TlaValue, TlaValue> f = new LinkedHashMap<>();
                for (int i = 1; i <= x; i++) {
                    f.put(of(i), TlaValue.bool(i > 1));
                }
                String fName = bug == Bug.WRONG_HISTORY_FIELD && x == 1 ? "h" : "f";
                out.add(new Transition("Inc", state(x + 1, record("op", str("inc"), "p", p, "s", seq(of(x), str("a")),
                        fName, function(f), "g", function(Map.of(p, of(x)))))));
            }
        }
        if (x == MAX) {
            out.add(new Transition("Reset", state(bug == Bug.RESET_TO_ONE ? 1 : 0,
                    record("op", str("reset"), "set", set(of(x), of(0))))));
            if (bug != Bug.NO_STAY) {
                out.add(new Transition(bug == Bug.STAY_MISLABELLED ? "Reset" : "Stay", s));
            }
        }
        return out;
    }

    private static Map<String, TlaValue> state(int x, TlaValue last) {
        return Map.of("x", of(x), "last", last);
    }
}
