package org.extmmap.conformance.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.extmmap.conformance.graph.SpecGraphs.SpecGraph;
import org.extmmap.conformance.targets.Target;

/** Every path of a graph replayed against a target, outside JUnit (for a run inside the guest). */
public final class GraphSuite {
    /** The verdicts of one run over the paths, with the edge tally. */
    public record Result(SpecGraph spec, List<TestPath> paths, EdgeTally tally, int passed,
            List<PathVerdict.Failed> failures, List<PathVerdict.NotRun> notRun) {
        public String summary() {
            return spec.name() + ": " + paths.size() + " paths: " + passed + " passed, " + failures.size()
                    + " failed, " + notRun.size() + " not run; " + tally.counts();
        }
    }

    private GraphSuite() {
    }

    /**
     * Replays {@code limit} paths spread evenly over the list (all when limit is larger) against
     * the target: the list runs from early edges to late ones, so a sample should span it.
     */
    public static Result run(SpecGraph sg, List<TestPath> allPaths, Target target, int limit) {
        return run(sg, allPaths, target, limit, p -> { });
    }

    /** The same, telling {@code before} each path as it starts (progress, watchdogs). */
    public static Result run(SpecGraph sg, List<TestPath> allPaths, Target target, int limit,
            java.util.function.Consumer<TestPath> before) {
        List<TestPath> paths = new ArrayList<>();
        int n = Math.min(limit, allPaths.size());
        for (int k = 0; k < n; k++) {
            paths.add(allPaths.get((int) ((long) k * allPaths.size() / n)));
        }
        EdgeTally tally = new EdgeTally(sg.graph(), paths);
        int passed = 0;
        List<PathVerdict.Failed> failures = new ArrayList<>();
        List<PathVerdict.NotRun> notRun = new ArrayList<>();
        for (TestPath path : paths) {
            before.accept(path);
            PathVerdict v;
            try (Target.Run run = target.start(sg.config())) {
                v = PathReplay.replay(sg.graph(), path, run, e -> Optional.empty());
            }
            tally.record(path, v);
            if (v instanceof PathVerdict.Passed) {
                passed++;
            } else if (v instanceof PathVerdict.Failed f) {
                failures.add(f);
            } else {
                notRun.add((PathVerdict.NotRun) v);
            }
        }
        return new Result(sg, paths, tally, passed, failures, notRun);
    }
}
