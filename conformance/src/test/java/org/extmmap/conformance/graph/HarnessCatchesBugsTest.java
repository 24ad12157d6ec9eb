package org.extmmap.conformance.graph;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.extmmap.conformance.graph.SpecGraphs.SpecGraph;
import org.extmmap.conformance.targets.ModelTarget;
import org.extmmap.model.Bytes;
import org.extmmap.model.Config;
import org.extmmap.model.End;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.LoadResult;
import org.extmmap.model.Obj.Claim;
import org.extmmap.model.Pending;
import org.extmmap.model.State;
import org.junit.jupiter.api.Test;

/**
 * The graph-derived tests must be able to fail: fault-injected targets (the model with one
 * deliberate bug, the kind a kernel implementation could have) must each fail some path of a
 * spec graph that exercises the rule concerned. The kill rate goes into the conformance report.
 */
class HarnessCatchesBugsTest {
    private record Bug(String name, String graph, Function<Config, ExtMmap> target) {
    }

    /** A model whose load rule's answer (a byte, SIGBUS or BLOCK) {@code wrong} changes. */
    private static Function<Config, ExtMmap> loadRuleChanged(BiFunction<State, LoadResult, LoadResult> wrong) {
        return c -> new ExtMmap(c) {
            @Override
            public LoadResult loadRule(State s, int p, int o, Claim ob, int i, int w) {
                return wrong.apply(s, super.loadRule(s, p, o, ob, i, w));
            }
        };
    }

    private static final List<Bug> BUGS = List.of(
            new Bug("stale byte: a loaded letter is the other letter", "Quick", c -> new ExtMmap(c) {
                @Override
                public int loadValue(State s, int p, int o, Claim ob, int i, int w) {
                    int v = super.loadValue(s, p, o, ob, i, w);
                    return v == 'a' ? 'b' : v == 'b' ? 'a' : v;
                }
            }),
            new Bug("data shifted by one: a load shows the byte after its own", "Quick", c -> new ExtMmap(c) {
                @Override
                public int loadValue(State s, int p, int o, Claim ob, int i, int w) {
                    return super.loadValue(s, p, o, ob, i + 1, w);
                }
            }),
            new Bug("zero fill where SIGBUS belongs", "Quick",
                    loadRuleChanged((s, v) -> v instanceof LoadResult.Sigbus ? new LoadResult.Value(Bytes.ZERO) : v)),
            new Bug("SIGBUS one page early (where zero fill belongs)", "Quick",
                    loadRuleChanged((s, v) -> s.eof() && v.equals(new LoadResult.Value(Bytes.ZERO)) ? LoadResult.SIGBUS : v)),
            new Bug("no block: a load that must wait returns zero", "Quick",
                    loadRuleChanged((s, v) -> v instanceof LoadResult.Blocks ? new LoadResult.Value(Bytes.ZERO) : v)),
            new Bug("EOF while a write window is mapped (only descriptors counted)", "Errors", c -> new ExtMmap(c) {
                @Override
                public boolean eof(State s) {
                    return s.fds().stream().noneMatch(f -> f.contains(End.W));
                }
            }),
            new Bug("lost wake-up: a blocked load is never woken", "Pulling", c -> new ExtMmap(c) {
                @Override
                public boolean canWake(State s, int p) {
                    return !(s.pc(p) instanceof Pending.Faulting) && super.canWake(s, p);
                }
            }));

    @Test
    void everyFaultInjectedTargetFailsSomePath() {
        StringBuilder md = new StringBuilder("# Fault-injected targets\n\nThe model with one planted bug as"
                + " the target; every path of the named spec graph replayed against it.\n\n"
                + "| bug | graph | failing paths | of |\n|---|---|---|---|\n");
        List<String> missed = new ArrayList<>();
        ModelTarget target = new ModelTarget();
        for (Bug b : BUGS) {
            SpecGraph sg = SpecGraphs.of(b.graph());
            List<TestPath> paths = GraphReplayTest.paths(sg);
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
        int caught = BUGS.size() - missed.size();
        md.append(String.format("%nKill rate: %d of %d caught (%.0f %%).%n", caught, BUGS.size(),
                100.0 * caught / BUGS.size()));
        ConformanceReport.write("fault-injected", md.toString());
        assertTrue(missed.isEmpty(), "fault-injected targets the graph tests did not catch: " + missed);
    }
}
