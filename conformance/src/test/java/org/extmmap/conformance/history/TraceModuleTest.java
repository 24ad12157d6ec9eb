package org.extmmap.conformance.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.extmmap.model.Bytes;
import org.junit.jupiter.api.Test;

/** TLC on spec/ExtMmapTrace.tla and the Java checker agree on small histories, planted faults included. */
class TraceModuleTest {
    static final Path SPEC = Path.of(System.getProperty("extmmap.spec.dir", "../spec"));

    static String hex(Bytes b) {
        StringBuilder x = new StringBuilder("x");
        for (int i = 0; i < b.length(); i++) {
            x.append(String.format("%02x", b.at(i)));
        }
        return x.toString();
    }

    /** Both checkers' verdicts on the history; they must agree, and the verdict is returned. */
    static boolean bothAgree(String name, List<String> lines) {
        History h = History.parse(name, lines);
        HistoryChecker.Verdict java = new HistoryChecker(h, HistoryCheckerTest.BUDGET).check();
        TraceModule.Verdict tlc = TraceModule.check(h, SPEC, Path.of("target/trace"), Duration.ofMinutes(5));
        System.out.println("[trace] " + name + ": Java " + (java.accepted() ? "explained" : "rejected") + " ("
                + java.explored() + " nodes, " + java.millis() + " ms), TLC " + (tlc.accepted() ? "explained" : "rejected")
                + " (" + tlc.distinctStates() + " states, " + tlc.elapsed().toMillis() + " ms), " + h.events() + " events");
        assertEquals(java.accepted(), tlc.accepted(), () -> name + ": the checkers disagree; Java: " + java.report()
                + "\nTLC module: " + tlc.module());
        return java.accepted();
    }

    @Test
    void handWrittenHistoriesAndTheirPlantedFaults() {
        String bytes = hex(HistoryBytes.run(77, 3));
        assertEquals(true, bothAgree("overlap", HistoryCheckerTest.writeThenRead(10, 13, 11, 14, "ok 3 " + bytes)));
        assertEquals(true, bothAgree("after", HistoryCheckerTest.writeThenRead(10, 11, 12, 13, "ok 3 " + bytes)));
        assertEquals(false, bothAgree("changed-byte", HistoryCheckerTest.writeThenRead(10, 11, 12, 13,
                "ok 3 " + hex(HistoryBytes.run(78, 3)))));
        assertEquals(false, bothAgree("swapped", HistoryCheckerTest.writeThenRead(12, 13, 10, 11, "ok 3 " + bytes)));
        List<String> nothing = new ArrayList<>(List.of("# extmmap-history 1",
                "H seed=1 page=4096 capacity=16384 extmmap=present procs=3",
                "0 I 0 fork", "1 R 0 ok 1", "2 I 0 fork", "3 R 0 ok 2", "4 I 0 close r", "5 R 0 ok",
                "6 I 0 close w", "7 R 0 ok", "8 I 2 read 3", "9 I 1 poll", "10 R 1 ok 0", "11 R 2 ok 0 x"));
        assertEquals(false, bothAgree("nothing-wakes", nothing));
        Bytes all = HistoryBytes.run(5, 8);
        List<String> base = List.of("# extmmap-history 1", "H seed=1 page=4096 capacity=16384 extmmap=present procs=3",
                "0 I 0 fork", "1 R 0 ok 1", "2 I 0 fork", "3 R 0 ok 2", "4 I 0 close r", "5 R 0 ok",
                "6 I 0 close w", "7 R 0 ok", "8 I 1 write 8 5", "9 R 1 ok 8", "10 I 2 mmap r 4 r shared 0",
                "11 R 2 ok m2.1", "12 I 2 load m2.1 0 4", "13 R 2 ok " + hex(all.take(4)), "14 I 1 read 8");
        List<String> good = new ArrayList<>(base);
        good.add("15 R 1 ok 4 " + hex(all.from(4)));
        assertEquals(true, bothAgree("claim-then-read", good));
        List<String> bad = new ArrayList<>(base);
        bad.add("15 R 1 ok 8 " + hex(all));
        assertEquals(false, bothAgree("claim-overlaps-read", bad));
    }
}
