package org.extmmap.conformance.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.extmmap.model.Action;
import org.extmmap.model.Bytes;
import org.extmmap.model.Config;
import org.extmmap.model.End;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.Life;
import org.extmmap.model.Obj;
import org.extmmap.model.Outcome;
import org.extmmap.model.Pending;
import org.extmmap.model.Ret;
import org.extmmap.model.State;
import org.extmmap.model.Step;

/**
 * Concurrent histories from a model driven like the guest workload: the conductor forks the
 * workers and closes its ends; each worker makes random calls; a scheduler interleaves the
 * processes' invocations, spec steps (a call, its wake-ups, a caught signal) and completions at
 * random, taking a ticket for each invocation and completion as the C workload does. From the
 * correct model the histories must pass; from a model with a planted bug, be rejected.
 */
final class ModelRuns {
    private final Random rnd;
    private final ExtMmap m;
    private final int page;
    private final int nProcs;
    private final int callsEach;
    private State s;
    private long ticket;
    private final List<String> lines = new ArrayList<>();
    private final Proc[] procs;
    private int forked;

    private enum Phase { IDLE, INVOKED, BLOCKED, DONE, GONE }

    /** A worker's progress, its current call and the mappings it made (handle -> spec id). */
    private static final class Proc {
        final int name;
        int pid;
        Phase phase = Phase.IDLE;
        History.Call call;
        int made;
        int calls;
        int signals;
        Bytes loaded = Bytes.EMPTY;
        Outcome last; // what the completing step returned (others step before the completion ticket)
        final Map<String, Integer> handles = new HashMap<>();

        Proc(int name) {
            this.name = name;
        }
    }

    ModelRuns(long seed, int nProcs, int callsEach, int page, int capacity, Function<Config, ExtMmap> model) {
        this.rnd = new Random(seed);
        this.page = page;
        this.nProcs = nProcs;
        this.callsEach = callsEach;
        List<Byte> alpha = new ArrayList<>();
        for (int b = 1; b <= 255; b++) {
            alpha.add((byte) b);
        }
        this.m = model.apply(new Config(nProcs, page, capacity, 3 * page, 3 * page, Integer.MAX_VALUE / 4, 64, alpha,
                Config.ALL_OPS, false));
        this.procs = new Proc[nProcs];
        for (int i = 0; i < nProcs; i++) {
            procs[i] = new Proc(i);
        }
        lines.add("# extmmap-history 1");
        lines.add("H seed=" + seed + " page=" + page + " capacity=" + capacity + " extmmap=present procs=" + nProcs);
    }

    /** Runs the workload and returns its history's lines. */
    List<String> run() {
        s = m.initial();
        Proc c = procs[0];
        c.pid = 1;
        for (int w = 1; w < nProcs; w++) {
            forked = w;
            call(c, "fork", List.of());
            finish(c, m.take(s, new Action.Fork(1)).orElseThrow().next());
            procs[w].pid = ((Outcome.Fork) s.last()).child();
        }
        call(c, "close", List.of("r"));
        finish(c, m.take(s, new Action.Close(1, End.R)).orElseThrow().next());
        call(c, "close", List.of("w"));
        finish(c, m.take(s, new Action.Close(1, End.W)).orElseThrow().next());
        c.phase = Phase.GONE; // the conductor only watches from now on
        for (int round = 0; round < 100_000; round++) {
            List<Proc> live = new ArrayList<>();
            for (int i = 1; i < nProcs; i++) {
                if (procs[i].phase != Phase.GONE && movable(procs[i])) {
                    live.add(procs[i]);
                }
            }
            if (live.isEmpty()) {
                break;
            }
            move(live.get(rnd.nextInt(live.size())));
        }
        for (int i = 1; i < nProcs; i++) { // the stuck ones are killed, as the conductor does
            Proc w = procs[i];
            if (w.phase != Phase.GONE) {
                long k = ticket++;
                lines.add(k + " K " + w.name);
                State st = s;
                s = m.take(st, st.pc(w.pid) instanceof Pending.Idle ? new Action.Exit(w.pid) : new Action.Kill(w.pid))
                        .orElseThrow().next();
                lines.add(ticket++ + " D " + w.name + " killed");
                w.phase = Phase.GONE;
            }
        }
        return lines;
    }

    private boolean movable(Proc w) {
        return w.phase != Phase.BLOCKED || m.canWake(s, w.pid) || w.call.op().matches("read|write|msync");
    }

    private void move(Proc w) {
        switch (w.phase) {
            case IDLE -> invoke(w);
            case INVOKED -> {
                Action a = SpecCalls.start(m, w.call, w.pid, h -> w.handles.getOrDefault(h, 0));
                Optional<Step> st = m.take(s, a);
                if (st.isEmpty()) {
                    throw new IllegalStateException("generator chose a call the spec does not enable: " + w.call);
                }
                stepped(w, st.get().next());
            }
            case BLOCKED -> {
                if (m.canWake(s, w.pid) && rnd.nextInt(4) > 0) {
                    stepped(w, m.take(s, new Action.Wake(w.pid)).orElseThrow().next());
                } else if (rnd.nextInt(8) == 0) {
                    m.take(s, new Action.Signal(w.pid)).ifPresent(st -> {
                        w.signals++;
                        stepped(w, st.next());
                    });
                }
            }
            case DONE -> complete(w);
            default -> throw new IllegalStateException();
        }
    }

    private void stepped(Proc w, State st) {
        s = st;
        if (!(st.pc(w.pid) instanceof Pending.Idle)) {
            w.phase = Phase.BLOCKED;
            return;
        }
        w.loaded = Bytes.EMPTY;
        String op = w.call.op();
        if ((op.equals("load") || op.equals("store")) && s.last().ret() == Ret.OK
                && !(s.last() instanceof Outcome.Signal)) {
            SpecCalls.Run rest = SpecCalls.restOfRun((x, a) -> m.take(x, a).map(Step::next), s, w.call, w.pid,
                    w.handles.get(w.call.arg(0)));
            if (rest.failure() != null) {
                throw new IllegalStateException(w.call + ": " + rest.failure());
            }
            s = rest.after();
            w.loaded = rest.bytes();
        }
        w.last = s.last();
        w.phase = Phase.DONE;
        if (op.equals("exit")) {
            lines.add(ticket++ + " D " + w.name + " exited");
            w.phase = Phase.GONE;
        }
    }

    private void complete(Proc w) {
        Outcome last = w.last;
        String r = SpecCalls.result(w.call, last, w.loaded);
        if (w.call.op().equals("mmap") && last.ret() == Ret.OK) {
            String h = "m" + w.name + "." + (++w.made);
            w.handles.put(h, ((Outcome.Mmap) last).val());
            r += " " + h;
        }
        if (w.call.op().equals("fork")) {
            r += " " + forked;
        }
        lines.add(ticket++ + " R " + w.name + " " + r + (w.signals > 0 ? " sig=" + w.signals : "")
                + (SpecCalls.sigpipe(last) ? " sigpipe=1" : ""));
        w.phase = Phase.IDLE;
    }

    private void call(Proc w, String op, List<String> args) {
        w.call = new History.Call(w.name, 0, op, args, ticket, History.PENDING, List.of(), 0, 0);
        w.signals = 0;
        lines.add(ticket++ + " I " + w.name + " " + op + (args.isEmpty() ? "" : " " + String.join(" ", args)));
        w.phase = Phase.INVOKED;
    }

    /** The conductor's calls complete at once: it runs before any worker. */
    private void finish(Proc c, State st) {
        s = st;
        stepped(c, st);
        complete(c);
    }

    private void invoke(Proc w) {
        int p = w.pid;
        if (w.calls++ >= callsEach || s.fds(p).isEmpty() && mapped(w).isEmpty()) {
            call(w, "exit", List.of());
            return;
        }
        boolean rd = s.fds(p).contains(End.R);
        boolean wr = s.fds(p).contains(End.W);
        List<String> claims = new ArrayList<>();
        List<String> windows = new ArrayList<>();
        for (String h : mapped(w)) {
            (s.obj(w.handles.get(h)) instanceof Obj.Claim ? claims : windows).add(h);
        }
        for (int tries = 0; tries < 50; tries++) {
            switch (rnd.nextInt(12)) {
                case 0, 1 -> {
                    if (wr) {
                        call(w, "write", List.of("" + size(), "" + (w.name * 1_000_003L + w.calls)));
                        return;
                    }
                }
                case 2, 3 -> {
                    if (rd) {
                        call(w, "read", List.of("" + size()));
                        return;
                    }
                }
                case 4 -> {
                    if (rd && rnd.nextBoolean()) {
                        call(w, rnd.nextBoolean() ? "poll" : "fionread", List.of());
                        return;
                    }
                }
                case 5 -> {
                    if (rd) {
                        call(w, "mmap", List.of("r", "" + (1 + rnd.nextInt(2 * page)), "r", "shared", "0"));
                        return;
                    } else if (wr) {
                        call(w, "mmap", List.of("w", "" + (1 + rnd.nextInt(2 * page)), "rw", "shared", "0"));
                        return;
                    }
                }
                case 6, 7 -> {
                    if (!claims.isEmpty()) {
                        String h = claims.get(rnd.nextInt(claims.size()));
                        int k = pageOf(w, h);
                        int off = rnd.nextInt(page);
                        call(w, "load", List.of(h, "" + (k * page + off), "" + (1 + rnd.nextInt(page - off))));
                        return;
                    }
                }
                case 8 -> {
                    if (!windows.isEmpty()) {
                        String h = windows.get(rnd.nextInt(windows.size()));
                        int len = ((Obj.Window) s.obj(w.handles.get(h))).len();
                        int k = pageOf(w, h);
                        int lo = k * page;
                        int hi = Math.min(len, lo + page);
                        int off = lo + rnd.nextInt(hi - lo);
                        call(w, "store", List.of(h, "" + off, "" + (1 + rnd.nextInt(hi - off)),
                                "" + (w.name * 7_000_001L + w.calls)));
                        return;
                    }
                }
                case 9 -> {
                    if (!windows.isEmpty()) {
                        String h = windows.get(rnd.nextInt(windows.size()));
                        int len = ((Obj.Window) s.obj(w.handles.get(h))).len();
                        if (s.maps(p, w.handles.get(h)).stream().count() == m.config().pages(len)) {
                            call(w, "msync", List.of(h, "" + (1 + rnd.nextInt(len))));
                            return;
                        }
                    }
                }
                case 10 -> {
                    List<String> all = mapped(w);
                    if (!all.isEmpty() && rnd.nextInt(3) == 0) {
                        String h = all.get(rnd.nextInt(all.size()));
                        int k = pageOf(w, h);
                        call(w, "munmap", List.of(h, "" + k, "" + (k + 1)));
                        return;
                    }
                }
                default -> {
                    if (wr && w.calls > callsEach / 2 && rnd.nextInt(3) == 0) {
                        call(w, "close", List.of("w")); // late in the run: EOF comes, and zero fill and SIGBUS
                        return;
                    } else if (!claims.isEmpty()) {
                        call(w, "claimend", List.of(claims.get(0), "" + pageOf(w, claims.get(0))));
                        return;
                    } else if (rnd.nextInt(10) == 0 && (rd || wr)) {
                        call(w, "close", List.of(rd ? "r" : "w"));
                        return;
                    }
                }
            }
        }
        call(w, "exit", List.of());
    }

    private int size() {
        return rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(3 * page) : 1 + rnd.nextInt(16);
    }

    private List<String> mapped(Proc w) {
        List<String> out = new ArrayList<>();
        w.handles.forEach((h, o) -> {
            if (!s.maps(w.pid, o).isEmpty()) {
                out.add(h);
            }
        });
        out.sort(null);
        return out;
    }

    private int pageOf(Proc w, String h) {
        int[] pages = s.maps(w.pid, w.handles.get(h)).stream().toArray();
        return pages[rnd.nextInt(pages.length)];
    }

    static boolean alive(State s, int p) {
        return s.life(p) == Life.ALIVE;
    }
}
