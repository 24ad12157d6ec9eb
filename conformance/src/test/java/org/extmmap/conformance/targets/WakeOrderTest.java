package org.extmmap.conformance.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.state.ActionChain;
import org.extmmap.model.ExtMmap;

/**
 * The walks follow the target's order of competing wake-ups ({@code Walk#otherOrder}), and that
 * leniency must not hide a wrong outcome: walks over {@link ReorderingRun} pass and do take the
 * other order; with a flaw planted in the reordering some walk fails.
 */
class WakeOrderTest {
    static final int WALKS = 1500;

    /** Walks over the reordering target: how many failed, and how many wake-ups the target reordered. */
    private static int[] walk(ReorderingRun.Flaw flaw) {
        int[] failedAndReordered = new int[2];
        RandomGenerator<ActionChain<Walk>> walks = ExtMmapWalkProperties.walks(() -> {
            ExtMmap model = new ExtMmap(ExtMmapWalkProperties.WHOLE);
            return new Walk(model, new ReorderingRun(model, flaw) {
                @Override
                public void close() {
                    failedAndReordered[1] += reordered();
                }
            });
        }).generator(1000);
        Random random = new Random(WalksCatchBugsTest.SEED);
        for (int n = 0; n < WALKS; n++) {
            ActionChain<Walk> chain = walks.next(random).value();
            try {
                chain.run();
            } catch (AssertionError | OutsideSpec e) {
                failedAndReordered[0]++;
            } finally {
                chain.finalState().ifPresent(Walk::close);
            }
        }
        return failedAndReordered;
    }

    @Example
    void walksFollowTheTargetsOrderOfWakeUps() {
        int[] r = walk(ReorderingRun.Flaw.NONE);
        System.out.println("WakeOrderTest: " + WALKS + " walks, " + r[1] + " wake-ups reordered by the target, " + r[0]
                + " failed");
        assertEquals(0, r[0], "walks failed on a target that only wakes in another order the spec allows");
        assertTrue(r[1] >= 5, "the target reordered only " + r[1] + " wake-ups in " + WALKS + " walks: too few to"
                + " show the walks follow it");
    }

    @Example
    void aWrongOutcomeInTheOtherOrderIsCaught() {
        for (ReorderingRun.Flaw f : new ReorderingRun.Flaw[] {ReorderingRun.Flaw.HELD_OUTCOME_WRONG, ReorderingRun.Flaw.LOSER_LEFT_ASLEEP}) {
            assertTrue(walk(f)[0] > 0, "no walk failed on the reordering target with " + f);
        }
    }
}
