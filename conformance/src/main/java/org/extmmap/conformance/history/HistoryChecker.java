package org.extmmap.conformance.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.extmmap.model.Action;
import org.extmmap.model.Bytes;
import org.extmmap.model.Config;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.Life;
import org.extmmap.model.Outcome;
import org.extmmap.model.Pending;
import org.extmmap.model.Ret;
import org.extmmap.model.State;
import org.extmmap.model.Step;

/**
 * Is a concurrent history a behaviour of the spec? A depth-first search over orders of the spec's
 * steps (the model with WakeAtOnce false), in the manner of Wing and Gong's and Porcupine's
 * linearizability checkers, extended to calls that block: each call is its first step, then its
 * process's Wake (or, when the history says a signal came, Signal) steps until the spec says it
 * is done, and it must then return what the history recorded. A call may take a step only while
 * no call that completed before its invocation is unfinished (real-time order, from the
 * tickets). Pending calls may take steps or none. Visited search nodes (state, each process's
 * progress, the handles bound) are memoized, so each is expanded once.
 */
public final class HistoryChecker {
    /**
     * The checker's answer. {@code explored}: search nodes expanded (orders tried, after memoization).
     * {@code stuck}: for a rejected (or undecided) history, the calls that could not go on at the
     * end of the deepest order found, each once, in the order the report's "no call can go on"
     * lines name them; empty for an accepted one.
     */
    public record Verdict(String history, boolean accepted, boolean exhausted, long explored, long millis,
            int calls, int steps, String report, List<Stuck> stuck) {
        public Verdict {
            stuck = List.copyOf(stuck);
        }
    }

    /**
     * A call that could not go on, and the spec's answer there without the call and the spec's
     * state: "the spec returns "ok 13208" here", "blocked in the spec" (several joined by "; ").
     */
    public record Stuck(History.Call call, String answer) {
    }

    private final ExtMmap model;
    private final History history;
    private final int n;
    private final int[] names;
    private final List<List<History.Call>> calls = new ArrayList<>();
    private final Map<Integer, Integer> indexOf = new HashMap<>();
    private final long budget;
    private final Set<Key> seen = new HashSet<>();
    private long explored;
    private boolean exhausted;
    // the deepest point reached, for the report of a rejected history
    private int bestDone = -1;
    private List<String> bestPath = List.of();
    private List<String> bestWhy = List.of();
    private List<Stuck> bestStuck = List.of(); // the calls bestWhy is about
    private final List<String> path = new ArrayList<>();
    private java.util.function.Consumer<String> progress;
    private long deadline = Long.MAX_VALUE;

    /** Gives up (UNDECIDED, which is no pass) after this long. */
    public HistoryChecker within(java.time.Duration limit) {
        this.deadline = System.nanoTime() + limit.toNanos();
        return this;
    }
    private long nextProgress = System.nanoTime() + 10_000_000_000L;

    /** Where to say how the search goes, every 10 s (a long history takes minutes). */
    public HistoryChecker progress(java.util.function.Consumer<String> out) {
        this.progress = out;
        return this;
    }

    private record Key(State s, String progress, Map<String, Integer> objs) {
    }

    /** A search node: the spec state and each process's progress through its calls. */
    private record Node(State s, int[] next, boolean[] started, int[] sigUsed, int[] pid, Map<String, Integer> objs,
            int done) {
        Node copy() {
            return new Node(s, next.clone(), started.clone(), sigUsed.clone(), pid.clone(), new TreeMap<>(objs),
                    done);
        }
    }

    public HistoryChecker(History history, long budget) {
        this(history, budget, ExtMmap::new);
    }

    /** With a model of one's choosing: a planted bug, to show that a checker with it disagrees. */
    public HistoryChecker(History history, long budget, java.util.function.Function<Config, ExtMmap> model) {
        this.history = history;
        this.budget = budget;
        this.model = model.apply(configFor(history));
        this.n = history.calls().size();
        this.names = new int[n];
        int i = 0;
        for (Map.Entry<Integer, List<History.Call>> e : history.calls().entrySet()) {
            names[i] = e.getKey();
            indexOf.put(e.getKey(), i);
            calls.add(e.getValue());
            i++;
        }
    }

    /** The spec's constants for a history: its page size and capacity, bounds no call of it reaches. */
    public static Config configFor(History h) {
        int maxLen = 1;
        int maxIO = 1;
        int objs = 0;
        for (History.Call c : h.allCalls()) {
            if (c.op().equals("mmap")) {
                maxLen = Math.max(maxLen, c.intArg(1));
                objs++;
            } else if (c.op().equals("read") || c.op().equals("write")) {
                maxIO = Math.max(maxIO, c.intArg(0));
            }
        }
        List<Byte> alpha = new ArrayList<>();
        for (int b = 1; b <= 255; b++) {
            alpha.add((byte) b);
        }
        return new Config(h.calls().size(), h.header().page(), h.header().capacity(), maxLen, maxIO,
                Integer.MAX_VALUE / 4, Math.max(objs, 1), alpha, Config.ALL_OPS, false);
    }

    public Verdict check() {
        long t0 = System.nanoTime();
        int[] pid = new int[n];
        pid[indexOf.get(0)] = 1; // the conductor is the spec's process 1 of Init
        Node root = new Node(model.initial(), new int[n], new boolean[n], new int[n], pid, new TreeMap<>(), 0);
        boolean[] ok = new boolean[1];
        Throwable[] died = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                ok[0] = search(root);
            } catch (Throwable e) {
                died[0] = e;
            }
        }, "history-check", 1L << 30);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (died[0] != null) {
            // a search that died decided nothing: never report it as a rejection (or a pass)
            throw new IllegalStateException(history.name() + ": the history checker itself failed after " + explored
                    + " search nodes (deepest order " + Math.max(bestDone, 0) + " calls), " + died[0]
                    + "; this says nothing about the kernel. "
                    + (died[0] instanceof OutOfMemoryError
                            ? "Give surefire's forked test JVM more heap (add -DargLine=-Xmx12g to the mvn command; conformance/pom.xml sets no argLine, so the JVM default applies) or check a shorter history (concurrent-suite.sh -t)."
                            : "It is a bug of the checker."), died[0]);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        int total = 0;
        for (List<History.Call> l : calls) {
            total += l.size();
        }
        String report = ok[0] ? "explained by " + pathSteps + " spec steps" : rejection();
        return new Verdict(history.name(), ok[0], exhausted, explored, ms, total, ok[0] ? pathSteps : bestPath.size(),
                report, ok[0] ? List.of() : bestStuck);
    }

    private int pathSteps;
    private State explainedBy;
    private List<String> explainingOrder = List.of();

    /** The spec state at the end of the order that explained the history (after check()), or null. */
    public State explainedBy() {
        return explainedBy;
    }

    /** The spec steps of that order, each with the call it belongs to. */
    public List<String> explainingOrder() {
        return explainingOrder;
    }

    private String rejection() {
        StringBuilder b = new StringBuilder();
        if (exhausted) {
            b.append("UNDECIDED: the search budget (").append(budget).append(" nodes or the time limit) ran out; ");
        }
        b.append("no order of spec steps explains the history. The deepest order found finishes ")
                .append(bestDone).append(" calls; its last steps:\n");
        int from = Math.max(0, bestPath.size() - 12);
        for (int i = from; i < bestPath.size(); i++) {
            b.append("    ").append(bestPath.get(i)).append('\n');
        }
        b.append("  and then no call can go on:\n");
        for (String w : bestWhy) {
            b.append("    ").append(w).append('\n');
        }
        return b.toString();
    }

    /** The why lines of call c without c itself and the spec's state in parentheses. */
    private static String answer(History.Call c, List<String> lines) {
        java.util.TreeSet<String> said = new java.util.TreeSet<>();
        String head = c + ": ";
        for (String l : lines) {
            String t = l.startsWith(head) ? l.substring(head.length()) : l;
            int k = t.indexOf(" (");
            said.add(k < 0 ? t : t.substring(0, k));
        }
        return String.join("; ", said);
    }

    private boolean search(Node x) {
        if (finished(x)) {
            pathSteps = path.size();
            explainedBy = x.s();
            explainingOrder = List.copyOf(path);
            return true;
        }
        if (explored >= budget || System.nanoTime() > deadline) {
            exhausted = true;
            return false;
        }
        // Memo key: the state without its last outcome and without the ghost stream, which no
        // step reads (its length is W, given by u and buf). Keeping the stream would hold one copy of
        // every byte written per node: a 340 KB stream ran a 6 GiB heap out in 35,000 nodes.
        State norm = new State(x.s().life(), x.s().fds(), x.s().pc(), Bytes.EMPTY, x.s().buf(), x.s().slots(),
                x.s().u(), x.s().r(), x.s().objs(), x.s().maps(), x.s().mods(), x.s().rrefs(), x.s().wrefs(),
                new Outcome.Init());
        if (!seen.add(new Key(norm, Arrays.toString(x.next()) + Arrays.toString(x.started())
                + Arrays.toString(x.sigUsed()) + Arrays.toString(x.pid()), x.objs()))) {
            return false;
        }
        explored++;
        if (progress != null && System.nanoTime() > nextProgress) {
            nextProgress = System.nanoTime() + 10_000_000_000L;
            progress.accept(history.name() + ": " + explored + " nodes, deepest order " + Math.max(bestDone, x.done())
                    + " calls");
        }
        List<String> why = new ArrayList<>();
        List<Stuck> stuck = new ArrayList<>(); // the calls of the lines in why
        long horizon = Long.MAX_VALUE; // no call invoked after an unfinished call's completion may step
        for (int i = 0; i < n; i++) {
            if (x.next()[i] < calls.get(i).size()) {
                horizon = Math.min(horizon, calls.get(i).get(x.next()[i]).completed());
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // the call that completed first goes first: a long blocked call's wake-ups wait until
        // needed (ordering by invocation tried them at every point, exponentially many)
        Arrays.sort(order, Comparator.comparingLong(i -> x.next()[i] < calls.get(i).size()
                ? calls.get(i).get(x.next()[i]).completed() : Long.MAX_VALUE));
        for (int i : order) {
            if (x.next()[i] >= calls.get(i).size() || x.pid()[i] == 0) {
                continue;
            }
            History.Call c = calls.get(i).get(x.next()[i]);
            if (c.invoked() > horizon) {
                continue;
            }
            int said = why.size();
            List<Node> next = moves(x, i, c, why);
            if (why.size() > said) {
                stuck.add(new Stuck(c, answer(c, why.subList(said, why.size()))));
            }
            for (Node y : next) {
                path.add(describe(x, i, c, y));
                if (search(y)) {
                    return true;
                }
                path.remove(path.size() - 1);
                if (exhausted) {
                    return false;
                }
            }
        }
        if (x.done() > bestDone) {
            bestDone = x.done();
            bestPath = List.copyOf(path);
            bestWhy = why.isEmpty() ? List.of("(no call may take a step: each waits for an earlier completion)")
                    : List.copyOf(why);
            bestStuck = List.copyOf(stuck);
        }
        return false;
    }

    private String describe(Node x, int i, History.Call c, Node y) {
        String what = y.next()[i] > x.next()[i] ? "done" : "blocked";
        return "spec p" + x.pid()[i] + " " + y.s().last() + "  <- " + c + "  [" + what + "]";
    }

    private boolean finished(Node x) {
        for (int i = 0; i < n; i++) {
            for (int k = x.next()[i]; k < calls.get(i).size(); k++) {
                if (!calls.get(i).get(k).pending()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The nodes one step of process i's current call c leads to. */
    private List<Node> moves(Node x, int i, History.Call c, List<String> why) {
        List<Node> out = new ArrayList<>();
        int p = x.pid()[i];
        State s = x.s();
        if (s.life(p) != Life.ALIVE) {
            why.add(c + ": spec process " + p + " is gone");
            return out;
        }
        boolean idle = s.pc(p) instanceof Pending.Idle;
        if (c.op().equals("kill")) {
            // the conductor kills only a process still blocked seconds after every other one
            // stopped: if the spec would wake it, the kernel lost the wake-up
            if (!idle && model.canWake(s, p)) {
                why.add(c + ": SIGKILLed while blocked in " + s.pc(p) + ", which the spec wakes here (lost wake-up)");
                return out;
            }
            take(s, idle ? new Action.Exit(p) : new Action.Kill(p)).ifPresent(st -> out.add(advance(x, i, st)));
            return out;
        }
        boolean hasNext = x.next()[i] + 1 < calls.get(i).size();
        if (c.pending() && hasNext && x.started()[i]) {
            // killed in this call, seconds after it began: it had taken its first step
            Node y = x.copy();
            y.next()[i]++;
            y.started()[i] = false;
            y.sigUsed()[i] = 0;
            out.add(y);
        }
        if (!x.started()[i]) {
            Action a;
            try {
                a = SpecCalls.start(model, c, p, h -> x.objs().getOrDefault(h, 0));
            } catch (IllegalArgumentException e) {
                why.add(e.getMessage());
                return out;
            }
            Optional<State> st = take(s, a);
            if (st.isEmpty()) {
                why.add(c + ": the spec does not enable " + a + " here");
                return out;
            }
            after(x, i, c, st.get(), false, why).ifPresent(out::add);
        } else {
            take(s, new Action.Wake(p)).ifPresent(st -> after(x, i, c, st, false, why).ifPresent(out::add));
            if (x.sigUsed()[i] < c.signals()) {
                take(s, new Action.Signal(p)).ifPresent(st -> after(x, i, c, st, true, why).ifPresent(out::add));
            }
            if (out.isEmpty() && !c.pending()) {
                why.add(c + ": blocked in the spec (" + s.pc(p) + ") and nothing wakes it here");
            }
        }
        return out;
    }

    private Optional<State> take(State s, Action a) {
        return model.take(s, a).map(Step::next);
    }

    /** The node after a step of call c: still blocked, or done with the recorded result. */
    private Optional<Node> after(Node x, int i, History.Call c, State st, boolean signal, List<String> why) {
        int p = x.pid()[i];
        if (!(st.pc(p) instanceof Pending.Idle)) {
            Node y = x.copy();
            Node z = new Node(st, y.next(), y.started(), y.sigUsed(), y.pid(), y.objs(), y.done());
            z.started()[i] = true;
            if (signal) {
                z.sigUsed()[i]++;
            }
            return Optional.of(z);
        }
        Outcome last = st.last();
        Bytes loaded = Bytes.EMPTY;
        boolean run = c.op().equals("load") || c.op().equals("store") || c.op().equals("pstore");
        if (run && last.ret() == Ret.OK && !(last instanceof Outcome.Signal)) {
            // the rest of the run: the page is there now, so each byte is one more step at once
            SpecCalls.Run rest = SpecCalls.restOfRun(this::take, st, c, p, x.objs().getOrDefault(c.arg(0), 0));
            if (rest.failure() != null) {
                why.add(c + ": " + rest.failure());
                return Optional.empty();
            }
            st = rest.after();
            loaded = rest.bytes();
        }
        if (!c.pending()) {
            String spec = SpecCalls.result(c, last, loaded);
            String seen = SpecCalls.recorded(c);
            if (!spec.equals(seen)) {
                why.add(c + ": the spec returns \"" + spec + "\" here (" + last + ")");
                return Optional.empty();
            }
            if (SpecCalls.sigpipe(last) != (c.sigpipes() > 0)) {
                why.add(c + ": the spec " + (SpecCalls.sigpipe(last) ? "raises" : "raises no") + " SIGPIPE here");
                return Optional.empty();
            }
        }
        Node y = x.copy();
        if (c.op().equals("mmap") && last instanceof Outcome.Mmap mm && mm.ret() == Ret.OK && !c.pending()) {
            y.objs().put(c.result().get(1), mm.val());
        }
        if (c.op().equals("fork") && last instanceof Outcome.Fork f && !c.pending()) {
            Integer child = indexOf.get(Integer.parseInt(c.result().get(1)));
            if (child == null) {
                why.add(c + ": the child it names never appears");
                return Optional.empty();
            }
            y.pid()[child] = f.child();
        }
        return Optional.of(advance(y, i, st));
    }

    private Node advance(Node x, int i, State st) {
        Node y = x.copy();
        y.next()[i]++;
        y.started()[i] = false;
        y.sigUsed()[i] = 0;
        return new Node(st, y.next(), y.started(), y.sigUsed(), y.pid(), y.objs(), x.done() + 1);
    }
}
