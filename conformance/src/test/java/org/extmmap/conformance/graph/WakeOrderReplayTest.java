package org.extmmap.conformance.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.extmmap.conformance.graph.SpecGraphs.SpecGraph;
import org.extmmap.conformance.targets.ReorderingRun;
import org.extmmap.model.ExtMmap;
import org.junit.jupiter.api.Test;

/**
 * Graph replay judges a Wake the target gave to another ready process first ({@link
 * PathReplay#otherOrder}): such a path is not run, never passed, and never failed when the other
 * order agrees with the spec; a wrong outcome in that order still fails it. The Commits graph
 * (three processes committing one shared window while two of them read) is where wake-ups
 * compete; the target is the model waking in another order ({@link ReorderingRun}).
 */
class WakeOrderReplayTest {
    private record Counts(int passed, int failed, int notRun) {
    }

    private static Counts replay(ReorderingRun.Flaw flaw) {
        SpecGraph sg = SpecGraphs.of("Commits");
        List<TestPath> paths = EdgeCover.obligationPaths(sg.graph(), Obligations.of(sg.graph()), GraphReplayTest.MAX_PATH);
        int passed = 0;
        int failed = 0;
        int notRun = 0;
        for (TestPath path : paths) {
            ReorderingRun run = new ReorderingRun(new ExtMmap(sg.config()), flaw);
            PathVerdict v = PathReplay.replay(sg.graph(), path, run, edge -> Optional.empty());
            if (v instanceof PathVerdict.Passed) {
                passed++;
            } else if (v instanceof PathVerdict.Failed) {
                failed++;
            } else {
                notRun++;
            }
        }
        System.out.printf("WakeOrderReplayTest: Commits, reordering target (%s): %d paths passed, %d failed, %d not"
                + " run%n", flaw, passed, failed, notRun);
        return new Counts(passed, failed, notRun);
    }

    @Test
    void pathsTheTargetWakesInTheOtherOrderAreNotRunNotFailed() {
        Counts c = replay(ReorderingRun.Flaw.NONE);
        assertEquals(0, c.failed(), "paths failed on a target that only wakes in another order the spec allows");
        assertTrue(c.notRun() > 0, "no path met a wake-up in the other order: the test shows nothing");
        assertTrue(c.passed() > 0, "no path passed");
    }

    @Test
    void aWrongOutcomeInTheOtherOrderFailsThePath() {
        for (ReorderingRun.Flaw f : new ReorderingRun.Flaw[] {ReorderingRun.Flaw.HELD_OUTCOME_WRONG,
                ReorderingRun.Flaw.LOSER_LEFT_ASLEEP}) {
            assertTrue(replay(f).failed() > 0, "no path failed on the reordering target with " + f);
        }
    }
}
