package org.extmmap.conformance.graph;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.extmmap.conformance.graph.SpecGraphs.SpecGraph;
import org.extmmap.conformance.targets.ModelTarget;
import org.extmmap.model.Bytes;
import org.extmmap.model.Config;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.Obj.Claim;
import org.extmmap.model.State;
import org.junit.jupiter.api.Test;

/**
 * The graph-derived tests must be able to fail: the model with a deliberate bug planted in its
 * load rule, as a target, must fail some path of the Quick graph, for every bug.
 */
class HarnessCatchesBugsTest {
    /** A model whose load rule is changed after the fact by {@code bug}. */
    private static final class Bugged extends ExtMmap {
        private final Function<Integer, Integer> bug;
        private final java.util.function.Predicate<State> when;

        Bugged(Config cfg, java.util.function.Predicate<State> when, Function<Integer, Integer> bug) {
            super(cfg);
            this.when = when;
            this.bug = bug;
        }

        @Override
        protected int loadRule(State s, int p, int o, Claim ob, int i, int w) {
            int right = super.loadRule(s, p, o, ob, i, w);
            return when.test(s) ? bug.apply(right) : right;
        }
    }

    private record Mutant(String name, java.util.function.Predicate<State> when, Function<Integer, Integer> bug) {
    }

    // ExtMmap's protected BLOCK and SIGBUS, read through a subclass
    private static final int SIGBUS_VALUE = Constants.SIGBUS;
    private static final int BLOCK_VALUE = Constants.BLOCK;

    private static final List<Mutant> MUTANTS = List.of(
            new Mutant("stale byte: a loaded letter is the other letter", s -> true,
                    v -> v == 'a' ? 'b' : v == 'b' ? 'a' : v),
            new Mutant("zero fill where SIGBUS belongs", s -> true, v -> v == SIGBUS_VALUE ? Bytes.ZERO : v),
            new Mutant("SIGBUS where zero fill belongs (one page early)", State::eof,
                    v -> v == Bytes.ZERO ? SIGBUS_VALUE : v),
            new Mutant("a load that should block returns zero", s -> true, v -> v == BLOCK_VALUE ? Bytes.ZERO : v));

    private static final class Constants extends ExtMmap {
        static final int SIGBUS = ExtMmap.SIGBUS;
        static final int BLOCK = ExtMmap.BLOCK;

        private Constants() {
            super(null);
        }
    }

    @Test
    void everyPlantedBugFailsSomePath() {
        SpecGraph sg = SpecGraphs.of("Quick");
        List<TestPath> paths = GraphReplayTest.paths(sg);
        ModelTarget target = new ModelTarget();
        StringBuilder md = new StringBuilder("# Planted bugs (model with a wrong load rule as target, Quick)\n\n"
                + "| bug | failing paths | of |\n|---|---|---|\n");
        List<String> missed = new ArrayList<>();
        for (Mutant m : MUTANTS) {
            int failing = 0;
            for (TestPath path : paths) {
                try (ModelTarget.ModelRun run = target.start(new Bugged(sg.config(), m.when(), m.bug()))) {
                    PathVerdict v = PathReplay.replay(sg.graph(), path, run, e -> Optional.empty());
                    failing += v instanceof PathVerdict.Failed ? 1 : 0;
                }
            }
            md.append("| ").append(m.name()).append(" | ").append(failing).append(" | ").append(paths.size())
                    .append(" |\n");
            if (failing == 0) {
                missed.add(m.name());
            }
        }
        md.append("\nCaught ").append(MUTANTS.size() - missed.size()).append(" of ").append(MUTANTS.size())
                .append(".\n");
        ConformanceReport.write("planted-bugs", md.toString());
        assertTrue(missed.isEmpty(), "bugs the graph tests did not catch: " + missed);
    }
}
