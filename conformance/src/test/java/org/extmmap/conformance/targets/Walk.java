package org.extmmap.conformance.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.extmmap.conformance.graph.ConformanceReport;
import org.extmmap.conformance.graph.SpecStep;
import org.extmmap.model.Action;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;
import org.extmmap.model.State;
import org.extmmap.model.Step;

/**
 * A random walk in progress: the model's state (the oracle) and a target run taking the same
 * steps. Each step asserts the target's outcome equals the model's.
 */
public final class Walk implements AutoCloseable {
    private final ExtMmap model;
    private final Target.Run run;
    private State state;
    private final List<String> steps = new ArrayList<>();
    private final List<Outcome> outcomes = new ArrayList<>();
    private String cutShort; // why the target could not take the last step drawn, if it could not
    private final List<SpecStep> done = new ArrayList<>(); // the steps taken, as the spec has them
    private int reordered; // wake-ups taken in the target's order rather than the one drawn

    public Walk(ExtMmap model, Target.Run run) {
        this.model = model;
        this.run = run;
        this.state = model.initial();
    }

    /**
     * A walk built by hand with real sizes: the whole-size model against the kernel target (the
     * guest agent, or this machine's kernel).
     */
    static Walk onKernel() {
        return new Walk(new ExtMmap(ExtMmapWalkProperties.WHOLE),
                ExtMmapWalkProperties.KERNEL.start(ExtMmapWalkProperties.WHOLE));
    }

    /** The outcome of the last step taken. */
    Outcome last() {
        return outcomes.get(outcomes.size() - 1);
    }

    /** A walk built by hand checks every step it names, or it checked less than it says. */
    void assertNotCutShort() {
        assertNull(cutShort, "the walk was cut short, so it checked less than it says");
    }

    public State state() {
        return state;
    }

    public ExtMmap model() {
        return model;
    }

    public boolean enabled(Action a) {
        return model.take(state, a).isPresent();
    }

    /** Whether the target makes fork, exit, signals and SIGKILL (real processes of its own). */
    public boolean processes() {
        return run.processes();
    }

    /**
     * Why the walk ended early: the target could not observe the step drawn (see {@link
     * StepNotPerformed}); null while every step was taken. The steps before it were all judged.
     */
    public String cutShort() {
        return cutShort;
    }

    public void take(Action a) {
        Step step = model.take(state, a).orElseThrow(() -> new IllegalStateException("not enabled: " + a));
        Outcome expected = step.outcome();
        boolean blocks = expected.ret() == Ret.BLOCK;
        Outcome seen;
        try {
            seen = run.perform(a, blocks, blocks && othersWake(step.next(), a.p()));
        } catch (StepNotPerformed x) {
            cutShort = x.getMessage();
            return;
        } catch (OutsideSpec x) {
            reproducer(a, expected, x.getMessage());
            throw x;
        }
        if (!expected.equals(seen) && a instanceof Action.Wake w && otherOrder(w, seen)) {
            return;
        }
        take(a, seen);
    }

    /** Judges what the target did for step a, already performed, and moves the model on. */
    private void take(Action a, Outcome seen) {
        Step step = model.take(state, a).orElseThrow(() -> new IllegalStateException("not enabled: " + a));
        Outcome expected = step.outcome();
        steps.add(a + " -> " + seen);
        if (!expected.equals(seen)) {
            reproducer(a, expected, String.valueOf(seen));
        }
        assertEquals(expected, seen, () -> "after " + steps.size() + " steps:\n  " + String.join("\n  ", steps));
        done.add(new SpecStep(a, expected));
        state = step.next();
        outcomes.add(seen);
    }

    /**
     * On the kernel, the failing walk as a C program (repro-walk.c; jqwik's shrinking runs the walk
     * again and again, so the file that stays is the last, shortest failing one).
     */
    private void reproducer(Action a, Outcome expected, String observed) {
        if (run instanceof KernelRun) {
            List<SpecStep> all = new ArrayList<>(done);
            all.add(new SpecStep(a, expected));
            ConformanceReport.reproducer("walk", model.config(), all, "a kernel walk, step " + done.size() + ": " + a
                    + " observed " + observed);
        }
    }

    /**
     * The walk drew Wake(p), but the target woke another blocked process q first (see
     * Target.Run#completed): the spec allows that order too, so the walk follows the target's,
     * taking Wake(q) and then Wake(p) if the spec still wakes p (or leaving p blocked, if q took
     * what p waited for). True when that order was taken; every outcome is judged as usual.
     */
    private boolean otherOrder(Action.Wake w, Outcome seen) {
        for (int q = 1; q <= state.nProcs(); q++) {
            if (q == w.p() || !model.canWake(state, q) || !run.completed(q)) {
                continue;
            }
            Action.Wake wq = new Action.Wake(q);
            Step first = model.take(state, wq).orElseThrow();
            Outcome seenQ;
            try {
                seenQ = run.perform(wq, first.outcome().ret() == Ret.BLOCK);
            } catch (StepNotPerformed x) {
                cutShort = x.getMessage();
                return true;
            } catch (OutsideSpec x) {
                reproducer(wq, first.outcome(), x.getMessage());
                throw x;
            }
            steps.add(wq + " -> " + seenQ + " (the target woke it before process " + w.p() + ")");
            reordered++;
            if (!first.outcome().equals(seenQ)) {
                reproducer(wq, first.outcome(), String.valueOf(seenQ));
            }
            assertEquals(first.outcome(), seenQ, () -> "after " + steps.size() + " steps:\n  " + String.join("\n  ", steps));
            done.add(new SpecStep(wq, first.outcome()));
            state = first.next();
            outcomes.add(seenQ);
            if (!model.canWake(state, w.p())) {
                steps.add(w + " -> " + seen + " (still blocked after process " + q + "'s wake-up)");
                assertEquals(Ret.BLOCK, seen.ret(), () -> "after " + steps.size() + " steps:\n  "
                        + String.join("\n  ", steps));
                return true;
            }
            take(w, seen);
            return true;
        }
        return false;
    }

    // the spec's next step must wake another process: the kernel may complete this call within it
    private boolean othersWake(State next, int p) {
        for (int q = 1; q <= next.nProcs(); q++) {
            if (q != p && model.canWake(next, q)) {
                return true;
            }
        }
        return false;
    }

    /** How many wake-ups the walk took in the target's order rather than the one drawn. */
    public int reordered() {
        return reordered;
    }

    /** The outcomes seen so far, in order. */
    public List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    @Override
    public void close() {
        run.close();
    }

    @Override
    public String toString() {
        return "Walk[" + steps.size() + " steps]";
    }
}
