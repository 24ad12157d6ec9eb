package org.extmmap.conformance.graph;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.extmmap.conformance.graph.SpecGraphs.SpecGraph;
import org.extmmap.conformance.targets.ModelTarget;
import org.extmmap.conformance.targets.PlantedBugs;
import org.junit.jupiter.api.Test;

/**
 * The graph-derived tests must be able to fail: the fault-injected targets of {@link PlantedBugs}
 * must each fail some path of a spec graph that exercises the rule concerned. The kill rate goes
 * into the conformance report.
 */
class HarnessCatchesBugsTest {
    @Test
    void everyFaultInjectedTargetFailsSomePath() {
        StringBuilder md = new StringBuilder("# Fault-injected targets\n\nThe model with one planted bug as"
                + " the target; every path of the named spec graph replayed against it (paths over every edge; for graphs"
                + " of more than 100,000 edges, paths over one edge of every obligation, as on the kernel).\n\n"
                + "| bug | graph | failing paths | of |\n|---|---|---|---|\n");
        List<String> missed = new ArrayList<>();
        ModelTarget target = new ModelTarget();
        for (PlantedBugs.Bug b : PlantedBugs.ALL) {
            SpecGraph sg = SpecGraphs.of(b.graph());
            // the larger graphs: one edge of every obligation (what the kernel replays), not every edge
            List<TestPath> paths = sg.graph().edgeCount() > 100_000
                    ? EdgeCover.obligationPaths(sg.graph(), GraphReplayTest.obligations(sg), GraphReplayTest.MAX_PATH)
                    : GraphReplayTest.paths(sg);
            int failing = 0;
            for (TestPath path : paths) {
                try (ModelTarget.ModelRun run = target.start(b.target().apply(sg.config()))) {
                    PathVerdict v = PathReplay.replay(sg.graph(), path, run, e -> Optional.empty());
                    failing += v instanceof PathVerdict.Failed ? 1 : 0;
                }
            }
            md.append("| ").append(b.name()).append(" | ").append(b.graph()).append(" | ").append(failing)
                    .append(" | ").append(paths.size()).append(" |\n");
            if (failing == 0) {
                missed.add(b.name());
            }
        }
        int caught = PlantedBugs.ALL.size() - missed.size();
        md.append(String.format("%nKill rate: %d of %d caught (%.0f %%).%n", caught, PlantedBugs.ALL.size(),
                100.0 * caught / PlantedBugs.ALL.size()));
        ConformanceReport.write("fault-injected", md.toString());
        assertTrue(missed.isEmpty(), "fault-injected targets the graph tests did not catch: " + missed);
    }
}
