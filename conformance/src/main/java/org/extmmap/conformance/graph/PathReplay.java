package org.extmmap.conformance.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.extmmap.conformance.targets.OutsideSpec;
import org.extmmap.conformance.targets.StepNotPerformed;
import org.extmmap.conformance.targets.Target;
import org.extmmap.model.Action;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;
import org.extmmap.model.tla.Edge;
import org.extmmap.model.tla.StateGraph;

/** Replays a path of the spec's graph against a target run, comparing each outcome with the edge's. */
public final class PathReplay {
    /** An extra check after each agreeing step (the model target compares whole states). */
    public interface StepCheck {
        /** A problem with the step just taken along {@code edge}, or empty. */
        Optional<String> check(Edge edge);
    }

    private PathReplay() {
    }

    /** Whether the spec's next step after edge e must be the wake-up of a process other than e's. */
    static boolean othersWake(StateGraph g, Edge e, SpecStep step) {
        for (Edge next : g.outgoing(e.to())) {
            SpecStep s = EdgeDecoder.decode(next.label(), g.state(next.to()).get("last"));
            if (s.action() instanceof Action.Wake w && w.p() != step.action().p()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where the path wakes p but the target woke another blocked process q first (the spec lets
     * them wake in either order where one event readies both; the kernel's wait queue picks): the
     * path cannot be followed on this target, which is not a failure if the other order explains
     * what was seen. q's completion is judged against the spec's Wake(q) from the same state, and
     * p's outcome (still blocked, or what it returned) against what follows Wake(q) in the spec.
     * Empty when no other order is at hand; a verdict otherwise.
     */
    static Optional<PathVerdict> otherOrder(StateGraph g, Edge e, SpecStep step, Outcome seen, Target.Run run,
            List<SpecStep> done) {
        if (!(step.action() instanceof Action.Wake w)) {
            return Optional.empty();
        }
        for (Edge alt : g.outgoing(e.from())) {
            SpecStep first = EdgeDecoder.decode(alt.label(), g.state(alt.to()).get("last"));
            if (!(first.action() instanceof Action.Wake q) || q.p() == w.p() || !run.completed(q.p())) {
                continue;
            }
            Outcome seenQ;
            try {
                seenQ = run.perform(q, first.expected().ret() == Ret.BLOCK);
            } catch (StepNotPerformed | OutsideSpec x) {
                return Optional.of(new PathVerdict.Failed(done.size(), step, seen + "; the target woke process "
                        + q.p() + " first, whose completion then showed: " + x.getMessage(), done));
            }
            boolean pAfter = false;
            boolean pWakes = false;
            for (Edge then : g.outgoing(alt.to())) {
                SpecStep s = EdgeDecoder.decode(then.label(), g.state(then.to()).get("last"));
                if (s.action().equals(w)) {
                    pWakes = true;
                    pAfter |= s.expected().equals(seen);
                }
            }
            pAfter |= !pWakes && seen.ret() == Ret.BLOCK; // q took what p waited for: p sleeps on
            if (!first.expected().equals(seenQ) || !pAfter) {
                return Optional.of(new PathVerdict.Failed(done.size(), step, seen + "; nor does waking process "
                        + q.p() + " first explain it: it showed " + seenQ + " where the spec has " + first.expected(),
                        done));
            }
            return Optional.of(new PathVerdict.NotRun(done.size(), step, "the kernel woke process " + q.p()
                    + " before process " + w.p() + " (both ready at once: the spec allows either order, and this"
                    + " order agreed with it); the path takes the other"));
        }
        return Optional.empty();
    }

    public static PathVerdict replay(StateGraph g, TestPath path, Target.Run run, StepCheck extra) {
        List<SpecStep> done = new ArrayList<>();
        for (Edge e : path.edges()) {
            SpecStep step = EdgeDecoder.decode(e.label(), g.state(e.to()).get("last"));
            Outcome seen;
            try {
                seen = run.perform(step.action(), step.expected().ret() == Ret.BLOCK, othersWake(g, e, step));
            } catch (StepNotPerformed x) {
                return new PathVerdict.NotRun(done.size(), step, x.getMessage());
            } catch (OutsideSpec x) {
                return new PathVerdict.Failed(done.size(), step, x.getMessage(), done);
            }
            if (!step.expected().equals(seen)) {
                Optional<PathVerdict> other = otherOrder(g, e, step, seen, run, done);
                return other.orElseGet(() -> new PathVerdict.Failed(done.size(), step, String.valueOf(seen), done));
            }
            Optional<String> problem = extra.check(e);
            if (problem.isPresent()) {
                return new PathVerdict.Failed(done.size(), step, problem.get(), done);
            }
            done.add(step);
        }
        return new PathVerdict.Passed(done.size());
    }
}
