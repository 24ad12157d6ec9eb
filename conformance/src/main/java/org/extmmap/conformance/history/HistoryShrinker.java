package org.extmmap.conformance.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Shrinks a history the checker rejects, for a report and a reproducer.
 *
 * <p>{@link #shortestFailing}: the shortest failing prefix, every event up to a ticket, a call not
 * completed by then pending. A prefix of an explained history is explained (the same order, cut),
 * so rejection is monotone in the cut and a binary search finds the first ticket at which no order
 * of the spec explains what was seen.
 *
 * <p>{@link #minimal}: that cut, then delta debugging (Zeller's ddmin) over whole calls, keeping
 * the history rejected for the same reason: the calls that could not go on at the end of the
 * deepest order of the original rejection ({@link HistoryChecker.Verdict#stuck}, its "failing
 * calls") still cannot, and the spec says the same of each (the same result where another was
 * recorded, or blocked). A weaker rule (only "still stuck") shrank read-behind-claim-1 to a read
 * of an empty pipe that got bytes no one wrote: a failure, but no longer the bug. Tickets and
 * handles are not renumbered: the format allows gaps in both.
 */
public final class HistoryShrinker {
    private HistoryShrinker() {
    }

    /** The events up to ticket t. */
    public static History upTo(History h, long t) {
        Map<Integer, List<History.Call>> out = new LinkedHashMap<>();
        h.calls().forEach((proc, calls) -> {
            List<History.Call> kept = new ArrayList<>();
            for (History.Call c : calls) {
                if (c.invoked() > t) {
                    break;
                }
                if (c.completed() <= t) {
                    kept.add(c);
                } else if (!c.op().equals("kill")) {
                    kept.add(new History.Call(c.proc(), c.index(), c.op(), c.args(), c.invoked(), History.PENDING,
                            List.of(), c.signals(), 0));
                }
            }
            out.put(proc, kept);
        });
        return new History(h.name() + "@" + t, h.header(), out);
    }

    /** The first ticket at which the history is rejected (budget as the checker's), with its verdict. */
    public static Map.Entry<History, HistoryChecker.Verdict> shortestFailing(History h, long budget) {
        HistoryChecker.Verdict[] worst = {new HistoryChecker(h, budget).check()};
        History[] at = {h};
        firstFailing(0, lastTicket(h), mid -> {
            History cut = upTo(h, mid);
            HistoryChecker.Verdict v = new HistoryChecker(cut, budget).within(java.time.Duration.ofMinutes(2)).check();
            if (v.accepted()) {
                return false;
            }
            worst[0] = v;
            at[0] = cut;
            return true;
        }, () -> false);
        return Map.entry(at[0], worst[0]);
    }

    /** The last ticket of h: its last completion, or a pending call's invocation. */
    private static long lastTicket(History h) {
        long last = 0;
        for (History.Call c : h.allCalls()) {
            last = Math.max(last, c.pending() ? c.invoked() : c.completed());
        }
        return last;
    }

    /**
     * The least ticket in [lo, hi] whose prefix fails, by binary search (a prefix of an explained
     * history is explained, so failing is monotone in the ticket); the prefix at hi is taken to
     * fail. Stops early, with the least failing ticket found so far, when {@code stop} says so.
     */
    private static long firstFailing(long lo, long hi, java.util.function.LongPredicate failsAt,
            java.util.function.BooleanSupplier stop) {
        while (lo < hi && !stop.getAsBoolean()) {
            long mid = (lo + hi) / 2;
            if (failsAt.test(mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return hi;
    }

    /**
     * How long {@link #minimal} may search: each checker run gets {@code nodes} search nodes and
     * {@code perCheck} of time (a candidate it cannot decide in them counts as not failing), the
     * whole shrink {@code overall}, after which the smallest failing history found so far is the
     * result.
     */
    public record Limits(long nodes, Duration perCheck, Duration overall) {
        public static final Limits DEFAULT = new Limits(200_000, Duration.ofSeconds(10), Duration.ofMinutes(2));
    }

    /**
     * What {@link #minimal} found.
     *
     * @param history the smallest history found rejected for the original reason; as text: {@link #lines()}
     * @param failing the original rejection's failing calls (the calls that could not go on), each
     *     still in {@code history} and still unable to go on there
     * @param verdict the checker's verdict on {@code history}: its report gives the deepest order
     *     and why no call could go on
     * @param cutShort whether the overall time limit ended the shrinking before it was done: then
     *     {@code history} need not be 1-minimal
     * @param checks checker runs made
     */
    public record Shrunk(History original, History history, List<HistoryChecker.Stuck> failing,
            HistoryChecker.Verdict verdict,
            boolean cutShort, int checks, long millis) {
        public Shrunk {
            failing = List.copyOf(failing);
        }

        public int callsBefore() {
            return original.allCalls().size();
        }

        public int callsAfter() {
            return history.allCalls().size();
        }

        /** The minimal history in the format of histories.md. */
        public List<String> lines() {
            return history.lines();
        }

        /** The sizes, how the shrinking went, and the checker's report of the minimal history. */
        public String report() {
            return original.name() + ": " + callsBefore() + " calls (" + original.events() + " events) shrunk to "
                    + callsAfter() + " calls (" + history.events() + " events) in " + checks + " checker runs, "
                    + millis + " ms" + (cutShort ? "; CUT SHORT by the time limit: not necessarily minimal" : "")
                    + "\nfailing call" + (failing.size() == 1 ? "" : "s") + ": " + failing + "\n" + verdict.report();
        }
    }

    /** {@link #minimal(History, Limits)} with {@link Limits#DEFAULT}. */
    public static Shrunk minimal(History h) {
        return minimal(h, Limits.DEFAULT);
    }

    /**
     * A smallest history, call by call, that the checker rejects for the same reason as {@code h}:
     * the shortest such prefix first, then ddmin over its calls. The unit of removal is a call (its
     * I and R lines; a pending I; a kill's K and D lines; an exit's I and D lines) together with
     * what cannot stay without it: a forked process's calls go with its fork, a mapping's users with
     * its mmap, and a fork whose child has no call left goes too (the format cannot show a process
     * without events). Each candidate is written as lines and parsed again, so the result is what
     * its text says. The result is 1-minimal unless {@link Shrunk#cutShort()}: removing any one more
     * call makes the history explained, undecided, or rejected with a failing call no longer stuck
     * or with the spec saying something else of it.
     *
     * @throws IllegalArgumentException if the checker accepts {@code h}, or cannot decide it within
     *     the per-check limits: there is no failure to keep
     */
    public static Shrunk minimal(History h, Limits limits) {
        return new Minimizer(h, limits).run();
    }

    /**
     * {@code h} without the calls invoked at {@code tickets} and what cannot stay without them (see
     * {@link #minimal(History, Limits)}), written as lines and parsed again.
     */
    static History without(History h, Set<Long> tickets) {
        Deps d = new Deps(h);
        Set<Long> keep = new TreeSet<>(d.byTicket.keySet());
        keep.removeAll(tickets);
        return d.history(d.closed(keep), h.name());
    }

    /**
     * Whether {@code v} rejects (not undecided) with each of the {@code failing} calls stuck and the
     * spec's answer to it the same; when there are none (the original's deepest order ended with
     * every call waiting for an earlier completion), with none stuck either.
     */
    static boolean sameFailure(HistoryChecker.Verdict v, List<HistoryChecker.Stuck> failing) {
        if (v.accepted() || v.exhausted()) {
            return false;
        }
        if (failing.isEmpty()) {
            return v.stuck().isEmpty();
        }
        return failing.stream().allMatch(f -> v.stuck().stream()
                .anyMatch(s -> s.call().invoked() == f.call().invoked() && s.answer().equals(f.answer())));
    }

    /** Which calls of a history need which others: a process's calls its fork, a handle's users its mmap. */
    private static final class Deps {
        final History h;
        final Map<Long, History.Call> byTicket = new TreeMap<>();
        final Map<Long, List<Long>> needs = new HashMap<>();
        final Map<Long, Integer> childOf = new HashMap<>(); // a completed fork's ticket: its child

        Deps(History h) {
            this.h = h;
            Map<Integer, Long> forkOf = new HashMap<>();
            Map<String, Long> mmapOf = new HashMap<>();
            for (History.Call c : h.allCalls()) {
                byTicket.put(c.invoked(), c);
                if (c.op().equals("fork") && !c.pending() && c.result().size() == 2) {
                    int child = Integer.parseInt(c.result().get(1));
                    forkOf.put(child, c.invoked());
                    childOf.put(c.invoked(), child);
                } else if (c.op().equals("mmap") && !c.pending() && c.result().size() == 2
                        && c.result().get(0).equals("ok")) {
                    mmapOf.put(c.result().get(1), c.invoked());
                }
            }
            for (History.Call c : byTicket.values()) {
                List<Long> n = new ArrayList<>();
                Long fork = forkOf.get(c.proc());
                if (fork != null) {
                    n.add(fork);
                }
                if (SpecCalls.takesHandle(c)) {
                    Long mmap = mmapOf.get(c.arg(0));
                    if (mmap != null) {
                        n.add(mmap);
                    }
                }
                needs.put(c.invoked(), n);
            }
        }

        /** {@code keep} less every call that needs one not kept, and every fork left without a child call. */
        Set<Long> closed(Set<Long> keep) {
            Set<Long> k = new TreeSet<>(keep);
            boolean changed = true;
            while (changed) {
                changed = k.removeIf(t -> !k.containsAll(needs.get(t)));
                Set<Integer> live = new TreeSet<>();
                k.forEach(t -> live.add(byTicket.get(t).proc()));
                changed |= k.removeIf(t -> childOf.containsKey(t) && !live.contains(childOf.get(t)));
            }
            return k;
        }

        /** {@code keep} and every call it needs, transitively. */
        Set<Long> withNeeds(Set<Long> keep) {
            Set<Long> k = new TreeSet<>(keep);
            List<Long> todo = new ArrayList<>(keep);
            while (!todo.isEmpty()) {
                for (Long n : needs.get(todo.remove(todo.size() - 1))) {
                    if (k.add(n)) {
                        todo.add(n);
                    }
                }
            }
            return k;
        }

        /** The history of the kept calls, through its lines (so it is what its text says). */
        History history(Set<Long> keep, String name) {
            Map<Integer, List<History.Call>> out = new TreeMap<>();
            for (Long t : keep) {
                History.Call c = byTicket.get(t);
                out.computeIfAbsent(c.proc(), p -> new ArrayList<>()).add(c);
            }
            return History.parse(name, new History(name, h.header(), out).lines());
        }
    }

    /** One run of {@link #minimal}: the prefix cut, then ddmin, with its clock and its cache. */
    private static final class Minimizer {
        private final History original;
        private final Limits limits;
        private final long start = System.nanoTime();
        private final long deadline;
        private final String name;
        private List<HistoryChecker.Stuck> failing;
        private boolean cutShort;
        private int checks;
        private History best;
        private HistoryChecker.Verdict bestVerdict;

        Minimizer(History h, Limits limits) {
            this.original = h;
            this.limits = limits;
            this.deadline = start + limits.overall().toNanos();
            this.name = h.name().replaceFirst("\\.txt$", "") + "-minimal";
        }

        /** A checker run within the per-check limits and, when {@code bounded}, what is left of the overall one. */
        private HistoryChecker.Verdict check(History h, boolean bounded) {
            checks++;
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            return new HistoryChecker(h, limits.nodes())
                    .within(bounded && left.compareTo(limits.perCheck()) < 0 ? left : limits.perCheck()).check();
        }

        private boolean outOfTime() {
            if (System.nanoTime() >= deadline) {
                cutShort = true;
            }
            return cutShort;
        }

        /** Whether h fails as the original does; if so and it is smaller than the best, it is the best. */
        private boolean fails(History h) {
            HistoryChecker.Verdict v;
            try {
                v = check(h, true);
            } catch (RuntimeException e) {
                return false; // a candidate the checker cannot run is not a failing one
            }
            if (!sameFailure(v, failing)) {
                outOfTime(); // a run the overall limit ended early says nothing: note that it did
                return false;
            }
            if (h.allCalls().size() < best.allCalls().size()
                    || h.allCalls().size() == best.allCalls().size() && h.events() < best.events()) {
                best = h;
                bestVerdict = v;
            }
            return true;
        }

        Shrunk run() {
            HistoryChecker.Verdict v = check(original, false); // the failure to keep: whatever the clock says
            if (v.accepted()) {
                throw new IllegalArgumentException(original.name() + " is explained by the spec: nothing to shrink");
            }
            if (v.exhausted()) {
                throw new IllegalArgumentException(original.name() + " is undecided within " + limits.nodes()
                        + " nodes and " + limits.perCheck() + " (no failure to keep):\n" + v.report());
            }
            failing = v.stuck();
            best = original;
            bestVerdict = v;
            prefix();
            ddmin();
            History result = History.parse(name, best.lines());
            return new Shrunk(original, result, failing, bestVerdict, cutShort, checks,
                    (System.nanoTime() - start) / 1_000_000);
        }

        /** The shortest prefix failing the same way (the binary search of shortestFailing). */
        private void prefix() {
            long lo = 0;
            for (HistoryChecker.Stuck c : failing) {
                lo = Math.max(lo, c.call().invoked()); // a cut before a failing call's invocation leaves it out
            }
            firstFailing(lo, lastTicket(original), mid -> {
                History cut;
                try {
                    Map<Integer, List<History.Call>> calls = new TreeMap<>(upTo(original, mid).calls());
                    calls.values().removeIf(List::isEmpty);
                    History raw = new History(name, original.header(), calls);
                    Deps d = new Deps(raw);
                    cut = d.history(d.closed(d.byTicket.keySet()), name);
                } catch (RuntimeException e) {
                    return false;
                }
                return fails(cut);
            }, this::outOfTime);
        }

        /**
         * ddmin over the calls of the best history that the failing calls do not need: keep a
         * chunk (and what it needs) alone, else remove a chunk (and what needs it), else split
         * finer, until no single call can go.
         */
        private void ddmin() {
            Deps d = new Deps(best);
            Set<Long> kept = new TreeSet<>();
            failing.forEach(c -> kept.add(c.call().invoked()));
            Set<Long> fixed = d.withNeeds(kept); // the failing calls and what they need: never removed
            List<Long> c = new ArrayList<>(d.byTicket.keySet());
            c.removeAll(fixed);
            Map<Set<Long>, Boolean> seen = new HashMap<>();
            int n = 2;
            while (!c.isEmpty()) {
                n = Math.min(n, c.size());
                List<List<Long>> chunks = split(c, n);
                List<Long> next = null;
                if (n > 1) {
                    for (List<Long> chunk : chunks) {
                        Set<Long> keep = d.closed(d.withNeeds(union(fixed, chunk)));
                        if (test(d, keep, seen)) {
                            next = rest(keep, fixed);
                            n = 2;
                            break;
                        }
                    }
                }
                if (next == null) {
                    for (List<Long> chunk : chunks) {
                        Set<Long> keep = new TreeSet<>(union(fixed, c));
                        chunk.forEach(keep::remove);
                        keep = d.closed(keep);
                        if (test(d, keep, seen)) {
                            next = rest(keep, fixed);
                            n = Math.max(n - 1, 2);
                            break;
                        }
                    }
                }
                if (outOfTime()) {
                    return; // a test the clock ended proves nothing: no conclusion from this round
                }
                if (next != null) {
                    c = next;
                } else if (n >= c.size()) {
                    return; // every single call tried: 1-minimal
                } else {
                    n = Math.min(2 * n, c.size());
                }
            }
        }

        private boolean test(Deps d, Set<Long> keep, Map<Set<Long>, Boolean> seen) {
            if (outOfTime()) {
                return false;
            }
            Boolean known = seen.get(keep);
            if (known != null) {
                return known;
            }
            boolean f;
            if (!keep.containsAll(failing.stream().map(c -> c.call().invoked()).toList())) {
                f = false;
            } else {
                History h;
                try {
                    h = d.history(keep, name);
                } catch (RuntimeException e) {
                    h = null; // lines the parser refuses: not a failing candidate
                }
                f = h != null && fails(h);
            }
            if (!cutShort) {
                seen.put(keep, f);
            }
            return f;
        }

        private static Set<Long> union(Set<Long> a, List<Long> b) {
            Set<Long> u = new TreeSet<>(a);
            u.addAll(b);
            return u;
        }

        private static List<Long> rest(Set<Long> keep, Set<Long> fixed) {
            List<Long> r = new ArrayList<>(keep);
            r.removeAll(fixed);
            return r;
        }

        private static List<List<Long>> split(List<Long> c, int n) {
            List<List<Long>> out = new ArrayList<>();
            int from = 0;
            for (int i = 0; i < n; i++) {
                int to = from + (c.size() - from) / (n - i);
                out.add(c.subList(from, to));
                from = to;
            }
            return out;
        }
    }
}
