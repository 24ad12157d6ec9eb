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
                return new PathVerdict.Failed(done.size(), step, String.valueOf(seen), done);
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
