package org.extmmap.conformance.targets;

import java.util.HashMap;
import java.util.Map;
import org.extmmap.model.Action;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;
import org.extmmap.model.State;

/**
 * The model made to wake as a kernel's wait queue may: asked for Wake(p) while another blocked
 * process q can wake too, it wakes q first (then p, if the spec still wakes it) and holds q's
 * outcome for q's own Wake, reporting q {@link #completed}. The spec allows that order, so a
 * harness that follows the target's order must pass it; a {@link Flaw} makes it wrong.
 */
public class ReorderingRun implements Target.Run {
    /** A flaw to plant: q's held outcome wrong, or p left asleep though the spec still wakes it after q. */
    public enum Flaw {
        NONE, HELD_OUTCOME_WRONG, LOSER_LEFT_ASLEEP
    }

    private final ExtMmap model;
    private final Flaw flaw;
    private State state;
    private final Map<Integer, Outcome> held = new HashMap<>(); // completed, not yet woken in the spec
    private final Map<Integer, Outcome> asleep = new HashMap<>(); // what each blocked call showed when it blocked
    private int reordered;

    public ReorderingRun(ExtMmap model, Flaw flaw) {
        this.model = model;
        this.flaw = flaw;
        this.state = model.initial();
    }

    @Override
    public Outcome perform(Action a, boolean specBlocks) {
        if (a instanceof Action.Wake w && held.containsKey(w.p())) {
            Outcome o = held.remove(w.p());
            return flaw == Flaw.HELD_OUTCOME_WRONG ? asleep.get(w.p()) : o;
        }
        if (a instanceof Action.Wake w) {
            for (int q = 1; q <= state.nProcs(); q++) {
                if (q != w.p() && !held.containsKey(q) && model.canWake(state, q)) {
                    reordered++;
                    state = take(new Action.Wake(q));
                    held.put(q, state.last());
                    if (!model.canWake(state, w.p()) || flaw == Flaw.LOSER_LEFT_ASLEEP) {
                        return asleep.get(w.p());
                    }
                    break;
                }
            }
        }
        state = take(a);
        if (state.last().ret() == Ret.BLOCK) {
            asleep.put(a.p(), state.last());
        }
        return state.last();
    }

    private State take(Action a) {
        return model.take(state, a).orElseThrow(() -> new StepNotPerformed("not enabled: " + a)).next();
    }

    /** How many wake-ups this run took in another order than the one asked for. */
    public int reordered() {
        return reordered;
    }

    @Override
    public boolean completed(int p) {
        return held.containsKey(p);
    }

    @Override
    public void close() {
    }
}

