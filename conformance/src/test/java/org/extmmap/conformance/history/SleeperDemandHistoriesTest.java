package org.extmmap.conformance.history;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.Pending;
import org.extmmap.model.State;
import org.junit.jupiter.api.Test;

/**
 * Two kernel bugs the concurrent histories found, kept as shortest failing prefixes of guest
 * histories of the series before its fix (src/test/resources/histories/disagreement). While a
 * read() or a fault sleeps, the spec's writer pulls the claimed bytes the sleeper needs as it
 * appends them (WaiterDemand); the kernel's pipe_write() left them in the ring, where they took
 * the room of other bytes: the woken read() got 6,350 bytes where the spec says 13,208
 * (read-behind-claim-*), an interrupted write() had moved 16,384 where the spec says 20,480
 * (load-behind-write-1). The series pulls for sleepers now (kselftest read_behind_claim_* and
 * load_behind_write_gets_room fail on the old kernel); these histories stay to show that the
 * checker rejects that behaviour, and each is explained by the model changed in just that rule.
 */
class SleeperDemandHistoriesTest {
    static final Path DIR = Path.of("src/test/resources/histories/disagreement");

    /** The model with one change: blocked calls of the given kind demand no pull from others. */
    static ExtMmap sleepersPullThemselves(org.extmmap.model.Config c, Class<? extends Pending> kind) {
        return new ExtMmap(c) {
            @Override
            protected int demand(State s, int q) {
                return kind.isInstance(s.pc(q)) ? 0 : super.demand(s, q);
            }
        };
    }

    private static void rejectedButExplainedWithout(String name, Class<? extends Pending> kind) {
        History h = History.read(DIR.resolve(name));
        HistoryChecker.Verdict spec = new HistoryChecker(h, 5_000_000).check();
        assertFalse(spec.accepted(), name + " is explained by the spec: the checker no longer sees the bug");
        HistoryChecker.Verdict changed = new HistoryChecker(h, 5_000_000, c -> sleepersPullThemselves(c, kind))
                .check();
        assertTrue(changed.accepted(), () -> name + ": not explained by the changed rule either:\n"
                + changed.report());
        System.out.println("[history] " + name + ": " + h.events() + " events; spec: rejected ("
                + spec.explored() + " nodes); with " + kind.getSimpleName()
                + " calls that pull for themselves: explained");
    }

    @Test
    void aReadBehindClaimedBytesIsRejected() {
        // read-behind-claim-2.txt shows the same with 439 events; rejecting it takes the checker
        // three minutes (31,000 orders), so it is kept as data, not run in every build
        rejectedButExplainedWithout("read-behind-claim-1.txt", Pending.Reading.class);
    }

    @Test
    void aWriteThatDidNotPullForAWaitingLoadIsRejected() {
        rejectedButExplainedWithout("load-behind-write-1.txt", Pending.Faulting.class);
    }
}
