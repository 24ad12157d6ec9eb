package org.extmmap.conformance.history;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.extmmap.model.Action;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.State;
import org.extmmap.model.Step;
import org.junit.jupiter.api.Test;

/** The checker accepts what the spec allows and rejects histories with a planted fault. */
class HistoryCheckerTest {
    static final long BUDGET = 2_000_000;

    static HistoryChecker.Verdict check(String name, List<String> lines) {
        return new HistoryChecker(History.parse(name, lines), BUDGET).check();
    }

    @Test
    void modelHistoriesPass() {
        long events = 0;
        long explored = 0;
        for (long seed = 1; seed <= 40; seed++) {
            List<String> h = new ModelRuns(seed, 4, 25, 64, 256, ExtMmap::new).run();
            HistoryChecker.Verdict v = check("model-" + seed, h);
            assertTrue(v.accepted(), () -> "seed " + v.history() + ":\n" + String.join("\n", h) + "\n" + v.report());
            events += h.size();
            explored += v.explored();
        }
        System.out.println("[history] 40 model histories, " + events + " lines, " + explored + " nodes: all pass");
    }

    /** Conductor forks two workers and closes both ends; worker 1 writes 3 bytes, worker 2 reads. */
    static List<String> writeThenRead(long wInv, long wRet, long rInv, long rRet, String readResult) {
        List<String> l = new ArrayList<>(List.of("# extmmap-history 1",
                "H seed=1 page=4096 capacity=16384 extmmap=present procs=3",
                "0 I 0 fork", "1 R 0 ok 1", "2 I 0 fork", "3 R 0 ok 2", "4 I 0 close r", "5 R 0 ok",
                "6 I 0 close w", "7 R 0 ok"));
        record E(long t, String s) {
        }
        List<E> e = new ArrayList<>(List.of(new E(wInv, " I 1 write 3 77"), new E(wRet, " R 1 ok 3"),
                new E(rInv, " I 2 read 3"), new E(rRet, " R 2 " + readResult)));
        e.sort(java.util.Comparator.comparingLong(E::t));
        e.forEach(x -> l.add(x.t() + x.s()));
        return l;
    }

    static String digestOf(long key, int n) {
        return HistoryBytes.digest(HistoryBytes.run(key, n));
    }

    @Test
    void aReadOverlappingAWriteMayGetItsBytes() {
        assertTrue(check("ok", writeThenRead(10, 13, 11, 14, "ok 3 " + digestOf(77, 3))).accepted());
        assertTrue(check("ok-after", writeThenRead(10, 11, 12, 13, "ok 3 " + digestOf(77, 3))).accepted());
    }

    @Test
    void aChangedByteIsRejected() {
        // the same history with the written bytes passes: the changed digest is what is rejected
        assertTrue(check("right", writeThenRead(10, 11, 12, 13, "ok 3 " + digestOf(77, 3))).accepted());
        String wrong = HistoryBytes.digest(HistoryBytes.run(78, 3));
        HistoryChecker.Verdict v = check("changed", writeThenRead(10, 11, 12, 13, "ok 3 " + wrong));
        assertFalse(v.accepted());
        System.out.println("[history] planted: a changed byte\n" + v.report());
    }

    @Test
    void aReadThatEndedBeforeTheWriteBeganCannotHaveItsBytes() {
        // the read completed (ticket 11) before the write was invoked (12): swapped across real time
        HistoryChecker.Verdict v = check("swapped", writeThenRead(12, 13, 10, 11, "ok 3 " + digestOf(77, 3)));
        assertFalse(v.accepted());
        System.out.println("[history] planted: completions swapped across real time\n" + v.report());
    }

    @Test
    void aBlockedReadCannotCompleteWithNothingToWakeIt() {
        // worker 1 writes nothing; worker 2's read returns with bytes nobody wrote, or with 0 (no EOF: 1 holds w)
        List<String> l = new ArrayList<>(List.of("# extmmap-history 1",
                "H seed=1 page=4096 capacity=16384 extmmap=present procs=3",
                "0 I 0 fork", "1 R 0 ok 1", "2 I 0 fork", "3 R 0 ok 2", "4 I 0 close r", "5 R 0 ok",
                "6 I 0 close w", "7 R 0 ok", "8 I 2 read 3", "9 I 1 poll", "10 R 1 ok 0", "11 R 2 ok 0 "
                        + HistoryBytes.digest(org.extmmap.model.Bytes.EMPTY)));
        HistoryChecker.Verdict v = check("nothing-wakes", l);
        assertFalse(v.accepted());
        System.out.println("[history] planted: a blocked call completes with nothing to wake it\n" + v.report());
    }

    @Test
    void aClaimAndAReadNeverGetTheSameBytes() {
        String all = digestOf(5, 8);
        String tail = HistoryBytes.digest(HistoryBytes.run(5, 8).from(4));
        String head = HistoryBytes.digest(HistoryBytes.run(5, 8).take(4));
        List<String> base = List.of("# extmmap-history 1", "H seed=1 page=4096 capacity=16384 extmmap=present procs=3",
                "0 I 0 fork", "1 R 0 ok 1", "2 I 0 fork", "3 R 0 ok 2", "4 I 0 close r", "5 R 0 ok",
                "6 I 0 close w", "7 R 0 ok", "8 I 1 write 8 5", "9 R 1 ok 8", "10 I 2 mmap r 4 r shared 0",
                "11 R 2 ok m2.1", "12 I 2 load m2.1 0 4", "13 R 2 ok " + head, "14 I 1 read 8");
        List<String> good = new ArrayList<>(base);
        good.add("15 R 1 ok 4 " + tail);
        assertTrue(check("claim-then-read", good).accepted(), () -> check("x", good).report());
        List<String> bad = new ArrayList<>(base);
        bad.add("15 R 1 ok 8 " + all);
        HistoryChecker.Verdict v = check("claim-overlaps-read", bad);
        assertFalse(v.accepted());
        System.out.println("[history] planted: a claim overlapping a read\n" + v.report());
    }

    /**
     * A search that dies decided nothing: the checker must say so, not report a rejection (CI once
     * failed a kernel on a search that had run out of heap).
     */
    @Test
    void aSearchThatDiesIsAnErrorNotARejection() {
        History h = History.parse("dies", writeThenRead(10, 11, 12, 13, "ok 3 " + digestOf(77, 3)));
        HistoryChecker checker = new HistoryChecker(h, BUDGET, cfg -> new ExtMmap(cfg) {
            @Override
            public Optional<Step> take(State s, Action a) {
                throw new OutOfMemoryError("planted: Java heap space");
            }
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, checker::check);
        assertTrue(e.getMessage().contains("says nothing about the kernel") && e.getMessage().contains("-Xmx"),
                e::getMessage);
        System.out.println("[history] planted: the search dies\n" + e.getMessage());
    }
}
