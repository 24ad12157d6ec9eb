package org.extmmap.conformance.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.Set;
import org.extmmap.conformance.sys.LibcSyscalls;
import org.extmmap.model.Action;
import org.extmmap.model.Bytes;
import org.extmmap.model.Config;
import org.extmmap.model.End;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;
import org.extmmap.model.State;
import org.extmmap.model.Step;
import org.junit.jupiter.api.Test;

/**
 * The kernel run's machinery (threads, grace period, data runs, decoding) on the calls a stock
 * kernel has: read, write, close, poll of a plain pipe, compared step by step with the model.
 * This is a test of the harness on real system calls, not extended-mmap conformance.
 */
class KernelRunPlainPipeTest {
    // P = 2 and C = 4: two slots of a real page, an abstract byte a run of half a page, so that
    // merging into the last slot and partly read slots decide whether a write blocks.
    private static final Config PLAIN = new Config(1, 2, 4, 2, 2, 6, 0, List.of((byte) 'a', (byte) 'b'),
            Set.of("read", "write", "close", "poll"));
    private static final Timeouts FAST = new Timeouts(java.time.Duration.ofMillis(150),
            java.time.Duration.ofMillis(20), java.time.Duration.ofSeconds(10));

    private KernelRun plainRun(long seed) {
        return new KernelTarget(new LibcSyscalls(), FAST, seed).startPlainPipe(PLAIN);
    }

    @Test
    void randomWalksOfPlainPipeCallsMatchTheModel() {
        long seed = Long.getLong("extmmap.seed", System.nanoTime());
        System.out.println("KernelRunPlainPipeTest seed " + seed + " (rerun with -Dextmmap.seed=" + seed + ")");
        Random rnd = new Random(seed);
        ExtMmap model = new ExtMmap(PLAIN);
        int steps = 0;
        int blocked = 0;
        for (int walk = 0; walk < 40; walk++) {
            try (KernelRun kernel = plainRun(rnd.nextLong())) {
                State s = model.initial();
                for (int k = 0; k < 10; k++) {
                    List<Step> enabled = model.steps(s);
                    if (enabled.isEmpty()) {
                        break;
                    }
                    Step step = enabled.get(rnd.nextInt(enabled.size()));
                    Outcome seen = kernel.perform(step.action(), step.outcome().ret() == Ret.BLOCK);
                    assertEquals(step.outcome(), seen, "walk " + walk + " step " + k + ": " + step.action()
                            + " (seed " + seed + ")");
                    steps++;
                    blocked += step.outcome().ret() == Ret.BLOCK ? 1 : 0;
                    s = step.next();
                }
            }
        }
        System.out.println("KernelRunPlainPipeTest: " + steps + " steps agreed, " + blocked + " of them blocked");
        assertTrue(steps > 100, "too few steps taken: " + steps);
    }

    @Test
    void readOfEmptyPipeIsReportedBlockedAndWakesWhenDataArrives() throws Exception {
        try (KernelRun kernel = plainRun(1)) {
            Outcome r = kernel.perform(new Action.Read(1, 1), true);
            assertEquals(Ret.BLOCK, r.ret());
            // another writer: the pipe's write end from outside the run, as a second process would
            assertThrows(IllegalStateException.class, () -> kernel.perform(new Action.Poll(1), false));
        }
    }

    @Test
    void wakeWithoutBlockedCallIsOutsideTheSpec() {
        try (KernelRun kernel = plainRun(2)) {
            assertEquals(new Outcome.Write(1, Bytes.of("a"), false, Ret.OK, 1),
                    kernel.perform(new Action.Write(1, Bytes.of("a")), false));
            assertThrows(OutsideSpec.class, () -> kernel.perform(new Action.Wake(1), false));
            assertEquals(new Outcome.Close(1, End.W), kernel.perform(new Action.Close(1, End.W), false));
        }
    }
}
