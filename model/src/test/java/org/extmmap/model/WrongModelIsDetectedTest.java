package org.extmmap.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.extmmap.model.Obj.Claim;
import org.extmmap.model.tla.GraphComparison;
import org.extmmap.model.tla.StateGraph;
import org.junit.jupiter.api.Test;

/** The equivalence check can fail: a model with a plausible semantic bug differs from TLC's graph. */
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
        protected int loadRule(State s, int p, int o, Claim ob, int i, int w) {
            int out = super.loadRule(s, p, o, ob, i, w);
            int pageStart = ob.base() + i / config().p() * config().p();
            return out == SIGBUS && pageStart == w ? loadValue(s, p, o, ob, i, w) : out;
        }
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
