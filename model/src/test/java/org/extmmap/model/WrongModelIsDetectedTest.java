package org.extmmap.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.extmmap.model.Obj.Claim;
import org.extmmap.model.tla.GraphComparison;
import org.extmmap.model.tla.StateGraph;
import org.junit.jupiter.api.Test;

/**
 * The equivalence check can fail: models with a plausible semantic bug differ from TLC's graph.
 * The bugs are planted by subclassing, so no switch for them exists in the model itself.
 */
class WrongModelIsDetectedTest {
    private static final Path CFG = ModelMatchesSpecTest.SPEC.resolveSibling("Quick.cfg");

    /**
     * Zero fill one byte off: at EOF a page that starts exactly at F is taken to hold a stream
     * byte, so it zero-fills where the spec raises SIGBUS.
     */
    static final class ZeroFillOffByOne extends ExtMmap {
        ZeroFillOffByOne(Config cfg) {
            super(cfg);
        }

        @Override
        public LoadResult loadRule(State s, int p, int o, Claim ob, int i, int w) {
            LoadResult out = super.loadRule(s, p, o, ob, i, w);
            int pageStart = ob.base() + i / config().p() * config().p();
            return out instanceof LoadResult.Sigbus && pageStart == w ? new LoadResult.Value(loadValue(s, p, o, ob, i, w))
                    : out;
        }
    }

    /** A claim that does not advance the read cursor: read() would hand out claimed bytes again. */
    static final class ClaimKeepsCursor extends ExtMmap {
        ClaimKeepsCursor(Config cfg) {
            super(cfg);
        }

        @Override
        public Optional<Step> take(State s, Action a) {
            return super.take(s, a).map(step -> {
                State n = step.next();
                if (!(a instanceof Action.Mmap m && m.t().end() == End.R && n.last().ret() == Ret.OK)) {
                    return step;
                }
                return new Step(a, new State(n.life(), n.fds(), n.pc(), n.stream(), n.buf(), n.slots(), n.u(), s.r(), n.objs(),
                        n.maps(), n.mods(), n.rrefs(), n.wrefs(), n.last()));
            });
        }
    }

    @Test
    void claimThatKeepsTheCursorIsReported() {
        StateGraph tlc = ModelMatchesSpecTest.tlcGraph(CFG);
        StateGraph wrong = ModelMatchesSpecTest.javaGraph(new ClaimKeepsCursor(Config.read(CFG)));
        GraphComparison c = GraphComparison.compare("TLC", tlc, "Java", wrong);
        assertFalse(c.equivalent());
        assertTrue(c.statesOnlyInLeft() > 0 && c.statesOnlyInRight() > 0, c.report());
        assertTrue(c.report().contains("Mmap"), "the report shows the path through the wrong step:\n" + c.report());
    }

    @Test
    void zeroFillOffByOneIsReported() {
        StateGraph tlc = ModelMatchesSpecTest.tlcGraph(CFG);
        StateGraph wrong = ModelMatchesSpecTest.javaGraph(new ZeroFillOffByOne(Config.read(CFG)));
        GraphComparison c = GraphComparison.compare("TLC", tlc, "Java", wrong);
        System.out.println(c.report());
        assertFalse(c.equivalent());
        assertTrue(c.report().contains("SIGBUS"), "the report shows the differing outcome:\n" + c.report());
    }
}
