package org.extmmap.conformance.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    public Walk(ExtMmap model, Target.Run run) {
        this.model = model;
        this.run = run;
        this.state = model.initial();
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

    // the spec's next step must wake another process: the kernel may complete this call within it
    private boolean othersWake(State next, int p) {
        for (int q = 1; q <= next.nProcs(); q++) {
            if (q != p && model.canWake(next, q)) {
                return true;
            }
        }
        return false;
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
