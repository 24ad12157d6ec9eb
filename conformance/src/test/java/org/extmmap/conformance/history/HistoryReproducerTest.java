package org.extmmap.conformance.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Histories written as C programs (HistoryReproducer) that replay their calls in ticket order.
 * The disagreement's history maps the pipe, so here (a stock kernel) it is only compiled; plain
 * pipe histories of this kernel are replayed. Only those whose order the program forces are
 * required to reproduce: with one worker (--procs 2) no two calls overlap, so a blocked call can
 * only be ended by the conductor's signal, which the program sends at the same place; with more
 * workers, the prefix up to the first call invoked while another process's call was open. The
 * whole of such a history is replayed too and its verdict printed, not asserted: a woken call
 * runs when the scheduler lets it, so a correct kernel may replay it differently.
 */
class HistoryReproducerTest {
    static final Path OUT = Path.of("target/reproducers");

    @Test
    void theReadBehindClaimDisagreementCompilesWholeAndShrunk() throws Exception {
        History h = History.read(SleeperDemandHistoriesTest.DIR.resolve("read-behind-claim-1.txt"));
        Map.Entry<History, HistoryChecker.Verdict> cut = HistoryShrinker.shortestFailing(h, 5_000_000);
        assertFalse(cut.getValue().accepted(), "the spec explains read-behind-claim-1 now");
        History shortest = cut.getKey();
        assertTrue(shortest.events() <= h.events());
        Path whole = compile(HistoryReproducer.write(h, OUT.resolve("read-behind-claim-1.c")));
        String shrunk = "its shortest failing prefix is the whole history (the file was shrunk when it was kept)";
        if (shortest.events() < h.events()) {
            Path p = compile(HistoryReproducer.write(shortest, OUT.resolve("read-behind-claim-1-shortest.c")));
            shrunk = "its shortest failing prefix " + shortest.name() + " (" + shortest.events() + " events) as " + p
                    + ".c, compiled";
        }
        // the other kept history makes every kind of call, claimend (the series' uapi header) too
        Path other = compile(HistoryReproducer.write(History.read(SleeperDemandHistoriesTest.DIR.resolve(
                "read-behind-claim-2.txt")), OUT.resolve("read-behind-claim-2.c")));
        System.out.println("[reproducer] " + whole + ".c (" + h.events() + " events) compiled; " + shrunk + "; "
                + other + ".c compiled; NOT RUN: the histories map the pipe, which needs the patched kernel");
    }

    @Test
    void plainPipeHistoriesOfThisKernelReplayWhereTheOrderIsForced() throws Exception {
        for (int seed = 1; seed <= 3; seed++) {
            History h = History.read(workload(seed, 2, false));
            assertEquals(h.events(), forcedPrefix(h).events(), "one worker, yet calls overlap: " + h.name());
            Ran r = replay(h);
            assertTrue(r.exit() == 0 && r.out().contains("\nREPRODUCED"), () -> h.name() + ":\n" + r.out());
            System.out.println("[reproducer] " + h.name() + " (one worker, " + h.events() + " events): " + r.last());
        }
        for (int seed = 4; seed <= 5; seed++) {
            History h = History.read(workload(seed, 3 + seed % 2, seed == 5));
            History forced = forcedPrefix(h);
            Ran r = replay(forced);
            assertTrue(r.exit() == 0 && r.out().contains("\nREPRODUCED"), () -> forced.name() + ":\n" + r.out());
            Ran all = replay(h);
            assertTrue(all.exit() == 0 || all.exit() == 1, () -> h.name() + " did not finish with a verdict:\n"
                    + all.out());
            System.out.println("[reproducer] " + h.name() + " (" + h.header().procs() + " processes, " + h.events()
                    + " events): forced prefix " + forced.name() + " (" + forced.events() + " events): " + r.last()
                    + "; whole, order not forced (verdict not asserted): " + all.last());
        }
    }

    @Test
    void aChangedResultIsReportedDifferent() throws Exception {
        Path f = workload(1, 2, false);
        List<String> lines = Files.readAllLines(f);
        // the first read that returned bytes (else a write that wrote some): its count one more
        History.Call c = History.read(f).allCalls().stream()
                .filter(x -> x.op().equals("read") && x.result().size() == 3 && !x.result().get(1).equals("0"))
                .findFirst().orElseGet(() -> History.read(f).allCalls().stream()
                        .filter(x -> x.op().equals("write") && x.result().get(0).equals("ok")).findFirst()
                        .orElseThrow(() -> new AssertionError(f + " has no read or write of some bytes")));
        List<String> changed = new ArrayList<>(lines);
        int i = lines.indexOf(lines.stream().filter(l -> l.startsWith(c.completed() + " R ")).findFirst().orElseThrow());
        String[] w = lines.get(i).split(" ");
        w[4] = String.valueOf(Long.parseLong(w[4]) + 1);
        changed.set(i, String.join(" ", w));
        Ran r = replay(History.parse(f.getFileName() + "-changed", changed));
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("\nDIFFERENT at ticket " + c.invoked() + ": "), r.out());
        System.out.println("[reproducer] " + c + ", recorded as " + changed.get(i) + ": " + r.last());
    }

    @Test
    void aKilledProcessIsKilledAtItsTicketAndItsOpenCallIsNotCompared() throws Exception {
        // process 1 blocks in read() on its own empty pipe until the conductor's SIGKILL
        History h = History.parse("killed.txt", List.of("H seed=1 page=4096 capacity=16384 extmmap=absent procs=2",
                "0 I 0 fork", "1 R 0 ok 1", "2 I 0 close r", "3 R 0 ok", "4 I 0 close w", "5 R 0 ok",
                "6 I 1 write 3 7", "7 R 1 ok 3", "8 I 1 read 5", "9 R 1 ok 3 " + digest(7, 3), "10 I 1 read 5",
                "11 K 1", "12 D 1 killed"));
        Ran r = replay(h);
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("\n10 1 read 5 -> got (still in the call at the end), history (pending: not compared)")
                && r.out().contains("\n11 1 SIGKILL -> got killed, history killed"), r.out());
    }

    @Test
    void aForkOfAWorkerAndPrefixesCutAcrossItReplay() throws Exception {
        // process 1 forks 2, whose write comes before its parent's fork returns
        History h = History.parse("forked.txt", List.of("H seed=1 page=4096 capacity=16384 extmmap=absent procs=3",
                "0 I 0 fork", "1 R 0 ok 1", "2 I 0 close r", "3 R 0 ok", "4 I 0 close w", "5 R 0 ok", "6 I 1 fork",
                "7 I 2 write 2 9", "8 R 2 ok 2", "9 R 1 ok 2", "10 I 1 read 2", "11 R 1 ok 2 " + digest(9, 2),
                "12 I 1 exit", "13 I 2 exit", "14 D 1 exited", "15 D 2 exited"));
        // whole; cut where no worker made a call yet; cut while the fork is pending (its child is process 2)
        for (History x : List.of(h, HistoryShrinker.upTo(h, 5), HistoryShrinker.upTo(h, 8))) {
            Ran r = replay(x);
            assertTrue(r.exit() == 0 && r.out().contains("\nREPRODUCED"), () -> x.name() + ":\n" + r.out());
        }
    }

    @Test
    void aCallItCannotMakeIsRefusedByOpAndTicket() {
        String head = "H seed=1 page=4096 capacity=16384 extmmap=absent procs=2";
        var e = assertThrows(IllegalArgumentException.class, () -> HistoryReproducer.of(History.parse("x",
                List.of(head, "0 I 0 fork", "1 R 0 ok 1", "2 I 1 splice 5", "3 R 1 ok 5"))));
        assertTrue(e.getMessage().contains("splice at ticket 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> HistoryReproducer.of(History.parse("x",
                List.of(head, "0 I 0 read 5", "1 R 0 ok 0 x"))));
        assertTrue(e.getMessage().contains("read at ticket 0"), e.getMessage());
    }

    /** The longest prefix in which no call is invoked while a call of another process is open. */
    static History forcedPrefix(History h) {
        long cut = Long.MAX_VALUE;
        for (History.Call c : h.allCalls()) {
            for (History.Call d : h.allCalls()) {
                if (d.proc() != c.proc() && d.invoked() < c.invoked() && d.completed() > c.invoked()) {
                    cut = Math.min(cut, c.invoked() - 1);
                }
            }
        }
        return cut == Long.MAX_VALUE ? h : HistoryShrinker.upTo(h, cut);
    }

    record Ran(int exit, String out) {
        String last() {
            String[] l = out.strip().split("\n");
            return l[l.length - 1] + " (exit " + exit + ")";
        }
    }

    static Ran replay(History h) throws IOException, InterruptedException {
        Path bin = compile(HistoryReproducer.write(h, OUT.resolve(h.name().replaceAll("[^A-Za-z0-9_-]", "_") + ".c")));
        ProcessBuilder pb = new ProcessBuilder(bin.toString()).redirectErrorStream(true);
        String scale = System.getProperty("extmmap.timeScale");
        if (scale != null) {
            pb.environment().put("EXTMMAP_TIME_SCALE", scale);
        }
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes(); // the program bounds each wait: it ends
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), bin + " did not end");
        return new Ran(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Compiles FILE.c to FILE with the flags the reproducer promises; the binary's path. */
    static Path compile(Path c) throws IOException, InterruptedException {
        Path bin = Path.of(c.toString().replaceAll("\\.c$", ""));
        Process p = new ProcessBuilder("gcc", "-std=c11", "-O1", "-Wall", "-Wextra", "-Werror", "-o", bin.toString(),
                c.toString()).redirectErrorStream(true).start();
        String msg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), () -> "gcc " + c + ":\n" + msg);
        return bin;
    }

    private static final java.util.Set<Path> MADE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A history of this kernel by the workload (KernelHistoriesTest runs it the same way). */
    static Path workload(int seed, int procs, boolean small) throws IOException, InterruptedException {
        Path bin = Path.of(System.getProperty("extmmap.workload", "target/extmmap-workload"));
        Path f = Files.createDirectories(Path.of("target/histories-reproducer"))
                .resolve("host-" + seed + "-" + procs + (small ? "-small" : "") + ".txt");
        if (!MADE.add(f)) {
            return f; // made by this run already
        }
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "--seed", "" + seed, "--procs", "" + procs,
                "--seconds", "0.5", "--out", f.toString()));
        if (small) {
            cmd.add("--small");
        }
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertEquals(0, p.waitFor(), bin + " failed");
        return f;
    }

    private static String digest(long key, int n) {
        return HistoryBytes.digest(HistoryBytes.run(key, n));
    }
}
