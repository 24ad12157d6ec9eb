package org.extmmap.conformance.history;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.Pending;
import org.extmmap.model.State;
import org.junit.jupiter.api.Test;

/**
 * A disagreement the concurrent histories found between the patched kernel and the spec, kept
 * as two shortest failing prefixes of guest histories (src/test/resources/histories/disagreement).
 * In the spec a read() blocked behind claimed bytes makes a writer pull them as they arrive
 * (WaiterDemand counts its demand), so the writer fills the ring further and the reader gets
 * more; the kernel's pipe_write() leaves them in the ring and the woken reader pulls them
 * itself (pipe_xmap_prepare_read()), getting only what was readable then. Both histories are
 * rejected by the spec and explained by the model changed in just that rule; which side moves
 * is the open question (see the issue filed with this test).
 */
class ReadBehindClaimTest {
    static final Path DIR = Path.of("src/test/resources/histories/disagreement");

    /** The model with one change: a blocked read() demands no pull from others. */
    static ExtMmap readsPullThemselves(org.extmmap.model.Config c) {
        return new ExtMmap(c) {
            @Override
            protected int demand(State s, int q) {
                return s.pc(q) instanceof Pending.Reading ? 0 : super.demand(s, q);
            }
        };
    }

    @Test
    void theSpecRejectsItAndTheChangedRuleExplainsIt() {
        // read-behind-claim-2.txt shows the same with 439 events; rejecting it takes the checker
        // three minutes (31,000 orders), so it is kept as data, not run in every build
        for (String name : new String[] {"read-behind-claim-1.txt"}) {
            History h = History.read(DIR.resolve(name));
            HistoryChecker.Verdict spec = new HistoryChecker(h, 5_000_000).check();
            assertFalse(spec.accepted(), name + " is explained by the spec now: the disagreement is gone");
            HistoryChecker.Verdict changed = new HistoryChecker(h, 5_000_000, ReadBehindClaimTest::readsPullThemselves)
                    .check();
            assertTrue(changed.accepted(), () -> name + ": not explained by the changed rule either:\n"
                    + changed.report());
            System.out.println("[history] " + name + ": " + h.events() + " events; spec: rejected ("
                    + spec.explored() + " nodes), reads that pull for themselves: explained");
        }
    }
}
