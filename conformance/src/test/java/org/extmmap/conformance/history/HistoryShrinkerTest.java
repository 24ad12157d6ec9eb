package org.extmmap.conformance.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * HistoryShrinker.minimal on the two kept disagreements (SleeperDemandHistoriesTest): the result is
 * rejected, smaller, fails at a call of the same kind, and is 1-minimal (removing any one more
 * call, with what cannot stay without it, makes it explained, undecided or rejected for another
 * reason). Each minimal history is written to target/minimal/ and as a C reproducer, compiled,
 * not run. "Same reason": the failing call still cannot go on and the spec says the same of it
 * (read-behind-claim-1: the spec's read returns 13,208 bytes where 6,350 were recorded).
 * load-behind-write-1 shrinks to 4 calls but not to the end within the test's 30 s: candidates
 * with its 31,286-byte pending write are slow to check; the test says so and does not claim it
 * minimal.
 */
class HistoryShrinkerTest {
    // a candidate undecided in 2 s counts as not failing (the checker explodes on some of them)
    private static final HistoryShrinker.Limits LIMITS = new HistoryShrinker.Limits(200_000,
            java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(90));

    @Test
    void theReadBehindClaimShrinksToAMinimalHistoryFailingAtTheRead() throws Exception {
        shrinks("read-behind-claim-1", "read", 110, LIMITS, true);
    }

    @Test
    void theLoadBehindWriteShrinksToAMinimalHistoryFailingAtTheWrite() throws Exception {
        shrinks("load-behind-write-1", "write", 47, new HistoryShrinker.Limits(LIMITS.nodes(), LIMITS.perCheck(),
                java.time.Duration.ofSeconds(30)), false);
    }

    /** An accepted history has no failure to keep: minimal refuses it (IllegalArgumentException). */
    @Test
    void anAcceptedHistoryIsNotShrunk() {
        History h = History.read(SleeperDemandHistoriesTest.DIR.resolve("read-behind-claim-1.txt"));
        History before = HistoryShrinker.upTo(h, 100); // before the read the spec cannot explain
        assertTrue(new HistoryChecker(before, LIMITS.nodes()).check().accepted(), "the prefix is explained");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HistoryShrinker.minimal(before));
        assertTrue(e.getMessage().contains("explained"), e.getMessage());
    }

    /** With no time to shrink, the original (or a shorter failing prefix) comes back, said to be cut short. */
    @Test
    void aShrinkOutOfTimeReturnsTheBestSoFar() {
        History h = History.read(SleeperDemandHistoriesTest.DIR.resolve("load-behind-write-1.txt"));
        HistoryShrinker.Shrunk s = HistoryShrinker.minimal(h, new HistoryShrinker.Limits(LIMITS.nodes(),
                LIMITS.perCheck(), java.time.Duration.ZERO));
        assertTrue(s.cutShort());
        assertEquals(s.callsBefore(), s.callsAfter());
        assertTrue(HistoryShrinker.sameFailure(check(s.history()), s.failing()));
        assertTrue(s.report().contains("CUT SHORT"), s.report());
    }

    private static void shrinks(String name, String op, long failingTicket, HistoryShrinker.Limits limits,
            boolean mustFinish) throws Exception {
        History h = History.read(SleeperDemandHistoriesTest.DIR.resolve(name + ".txt"));
        HistoryShrinker.Shrunk s = HistoryShrinker.minimal(h, limits);
        System.out.println("[shrink] " + s.report());
        History m = s.history();
        HistoryChecker.Verdict v = s.verdict();
        assertFalse(v.accepted() || v.exhausted(), () -> "the minimal history is not rejected:\n" + v.report());
        assertFalse(mustFinish && s.cutShort(), "the shrinking was cut short by its time limit");
        assertTrue(s.callsAfter() < s.callsBefore(), s.callsBefore() + " calls before, " + s.callsAfter() + " after");
        assertEquals(h.allCalls().size(), s.callsBefore());

        // the failing call of the original is the one expected, and is still stuck in the minimal history
        assertEquals(1, s.failing().size(), () -> "failing calls: " + s.failing());
        History.Call failing = s.failing().get(0).call();
        assertEquals(op, failing.op());
        assertEquals(failingTicket, failing.invoked());
        String answer = s.failing().get(0).answer();
        assertTrue(v.stuck().stream().anyMatch(c -> c.call().invoked() == failingTicket && c.call().op().equals(op)
                && c.answer().equals(answer)), () -> "the minimal history fails elsewhere: " + v.stuck());

        // its text is itself, and it checks the same again
        History again = History.parse(m.name(), s.lines());
        assertEquals(m, again);
        assertTrue(HistoryShrinker.sameFailure(check(again), s.failing()));
        wellFormed(m);

        // 1-minimal: no single further call can go (claimed only when the shrinking finished)
        long t0 = System.nanoTime();
        for (History.Call c : s.cutShort() ? List.<History.Call>of() : m.allCalls()) {
            History less = HistoryShrinker.without(m, Set.of(c.invoked()));
            assertTrue(less.allCalls().size() < m.allCalls().size());
            HistoryChecker.Verdict w = check(less);
            assertFalse(w != null && HistoryShrinker.sameFailure(w, s.failing()), () -> "without " + c + " the history still"
                    + " fails at the " + op + ":\n" + String.join("\n", less.lines()));
        }
        System.out.println("[shrink] " + name + ": " + s.callsBefore() + " -> " + s.callsAfter() + " calls, "
                + s.millis() + " ms, " + s.checks() + " checker runs; 1-minimality checked in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");

        Path out = Path.of("target/minimal/" + name + ".txt");
        Files.createDirectories(out.getParent());
        Files.write(out, s.lines());
        Path c = HistoryReproducer.write(m, Path.of("target/reproducers/" + name + "-minimal.c"));
        Path bin = HistoryReproducerTest.compile(c);
        System.out.println("[shrink] wrote " + out + "; " + c + " compiled to " + bin
                + " (not run here)");
    }

    /** The checker's verdict, or null for a history it cannot check (none left of it): no failure either. */
    private static HistoryChecker.Verdict check(History h) {
        try {
            return new HistoryChecker(h, LIMITS.nodes()).within(LIMITS.perCheck()).check();
        } catch (IllegalArgumentException e) {
            assertTrue(h.allCalls().isEmpty(), () -> "the checker refuses " + h.name() + ": " + e);
            return null;
        }
    }

    /** No dangling names: each mapping handle used was made by a kept mmap, each process by a kept fork. */
    private static void wellFormed(History m) {
        Map<String, History.Call> mmaps = new HashMap<>();
        Map<Integer, History.Call> forks = new HashMap<>();
        for (History.Call c : m.allCalls()) {
            if (c.op().equals("mmap") && !c.pending() && c.result().get(0).equals("ok")) {
                mmaps.put(c.result().get(1), c);
            } else if (c.op().equals("fork") && !c.pending()) {
                forks.put(Integer.parseInt(c.result().get(1)), c);
            }
        }
        for (History.Call c : m.allCalls()) {
            if (SpecCalls.takesHandle(c)) {
                History.Call made = mmaps.get(c.arg(0));
                assertTrue(made != null && made.invoked() < c.invoked(), () -> c + ": its mapping is made by no mmap");
            }
            if (c.proc() != 0) {
                History.Call fork = forks.get(c.proc());
                assertTrue(fork != null && fork.invoked() < c.invoked(), () -> c + ": its process by no fork");
            }
        }
        forks.keySet().forEach(p -> assertFalse(m.calls().getOrDefault(p, List.of()).isEmpty(),
                "process " + p + " is forked but makes no call"));
    }
}
