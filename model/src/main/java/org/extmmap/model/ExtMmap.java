package org.extmmap.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.extmmap.model.Obj.Claim;
import org.extmmap.model.Obj.Window;
import org.extmmap.model.Pending.Faulting;
import org.extmmap.model.Pending.Reading;
import org.extmmap.model.Pending.Syncing;
import org.extmmap.model.Pending.Writing;

/**
 * The rules of spec/ExtMmap.tla as an executable model: which steps a state enables, and the
 * state (with its outcome in {@code last}) each one leads to. Method names follow the spec's
 * definitions; each says which one it states.
 *
 * <p>Use {@link #steps(State)} for every enabled step (what TLC explores), or {@link #take(State,
 * Action)} for the outcome of one chosen call, which is how a test oracle with real sizes asks.
 *
 * <p>Not final only so that tests can plant a deliberate bug through the seams {@link #loadRule},
 * {@link #loadValue}, {@link #eof} and {@link #canWake} and show that the graph comparison and the
 * conformance harness catch it.
 */
public class ExtMmap {
    /** {@link #loadRule} results other than a byte; public so that planted bugs can name them. */
    public static final int BLOCK = -2;
    public static final int SIGBUS = -3;

    private final Config cfg;
    private final List<MmapTry> tries;

    public ExtMmap(Config cfg) {
        this.cfg = cfg;
        this.tries = MmapTry.all(cfg);
    }

    public Config config() {
        return cfg;
    }

    /** The spec's Init. */
    public State initial() {
        int n = cfg.nProcs();
        List<Life> life = new ArrayList<>();
        List<Set<End>> fds = new ArrayList<>();
        for (int p = 1; p <= n; p++) {
            life.add(p == 1 ? Life.ALIVE : Life.UNBORN);
            fds.add(p == 1 ? Set.of(End.R, End.W) : Set.of());
        }
        return new State(life, fds, Collections.nCopies(n, Pending.IDLE), Bytes.EMPTY, Bytes.EMPTY, List.of(), 0, 0,
                List.of(),
                Collections.nCopies(n, List.of()), Collections.nCopies(n, List.of()), 1, 1, new Outcome.Init());
    }

    /**
     * Every enabled step, one per action with its arguments (the spec's Next). Its cost grows with
     * the argument ranges (every offset of every mapped page, every write of up to MaxIO letters):
     * with real sizes, choose actions and ask {@link #take}.
     */
    public List<Step> steps(State s) {
        List<Step> out = new ArrayList<>();
        for (Action a : candidates(s)) {
            take(s, a).ifPresent(out::add);
        }
        return out;
    }

    /** The step {@code a} takes from {@code s}, or empty if the spec does not enable it there. */
    public Optional<Step> take(State s, Action a) {
        State next = apply(s, a);
        return next == null ? Optional.empty() : Optional.of(new Step(a, next));
    }

    private State apply(State s, Action a) {
        int p = a.p();
        if (p < 1 || p > s.nProcs()) {
            return null;
        }
        if (a instanceof Action.Wake) {
            return wake(s, p);
        } else if (a instanceof Action.Read x) {
            return read(s, p, x.n());
        } else if (a instanceof Action.Write x) {
            return write(s, p, x.data());
        } else if (a instanceof Action.Close x) {
            return close(s, p, x.end());
        } else if (a instanceof Action.Poll) {
            return poll(s, p);
        } else if (a instanceof Action.Mmap x) {
            return mmap(s, p, x.t());
        } else if (a instanceof Action.Load x) {
            return load(s, p, x.o(), x.i());
        } else if (a instanceof Action.StorePrivate x) {
            return storePrivate(s, p, x.o(), x.i(), x.v());
        } else if (a instanceof Action.StoreWindow x) {
            return storeWindow(s, p, x.o(), x.i(), x.v());
        } else if (a instanceof Action.Msync x) {
            return msync(s, p, x.o(), x.e());
        } else if (a instanceof Action.Munmap x) {
            return munmap(s, p, x.o(), x.a(), x.b());
        } else if (a instanceof Action.MremapGrow x) {
            return mremapGrow(s, p, x.o());
        } else if (a instanceof Action.MprotectRefused x) {
            return mprotectRefused(s, p, x.o(), x.prot());
        } else if (a instanceof Action.Fork) {
            return fork(s, p);
        } else if (a instanceof Action.Exit) {
            return ready(s, p, "exit") ? vanish(s, p, false) : null;
        } else if (a instanceof Action.Signal) {
            return signal(s, p);
        } else if (a instanceof Action.Kill) {
            return interruptible(s, p, "kill") ? vanish(s, p, true) : null;
        }
        throw new IllegalArgumentException("unknown action " + a);
    }

    /**
     * The actions worth trying in {@code s}: the spec's argument ranges, narrowed to calls that can
     * be enabled (live processes, existing mappings, mapped pages). {@link #take} decides.
     */
    public List<Action> candidates(State s) {
        List<Action> out = new ArrayList<>();
        boolean wakePending = wakePending(s);
        for (int p = 1; p <= s.nProcs(); p++) {
            if (s.life(p) != Life.ALIVE) {
                continue;
            }
            if (wakePending) {
                out.add(new Action.Wake(p));
                continue;
            }
            if (!(s.pc(p) instanceof Pending.Idle)) {
                out.add(new Action.Signal(p));
                out.add(new Action.Kill(p));
                continue;
            }
            for (int n = 1; n <= cfg.maxIO(); n++) {
                out.add(new Action.Read(p, n));
            }
            if (cfg.allows("write") && s.fds(p).contains(End.W)) {
                for (Bytes d : writeData(Math.min(cfg.maxIO(), cfg.maxW() - s.stream().length()))) {
                    out.add(new Action.Write(p, d));
                }
            }
            for (End e : End.values()) {
                out.add(new Action.Close(p, e));
            }
            out.add(new Action.Poll(p));
            for (MmapTry t : tries) {
                out.add(new Action.Mmap(p, t));
            }
            for (int o = 1; o <= s.objs().size(); o++) {
                PageSet mine = s.maps(p, o);
                if (mine.isEmpty()) {
                    continue;
                }
                Obj ob = s.obj(o);
                int pages = cfg.pages(ob instanceof Claim c ? c.len() : ob instanceof Window w ? w.len() : 0);
                for (int k : mine.stream().toArray()) {
                    for (int i = k * cfg.p(); i < (k + 1) * cfg.p(); i++) {
                        out.add(new Action.Load(p, o, i));
                        for (byte v : cfg.alpha()) {
                            out.add(new Action.StorePrivate(p, o, i, v & 0xff));
                            out.add(new Action.StoreWindow(p, o, i, v & 0xff));
                        }
                    }
                }
                for (int e = 1; e <= cfg.maxLen() + 1; e++) {
                    out.add(new Action.Msync(p, o, e));
                }
                for (int a = 0; a < pages; a++) {
                    for (int b = a + 1; b <= pages; b++) {
                        out.add(new Action.Munmap(p, o, a, b));
                    }
                }
                out.add(new Action.MremapGrow(p, o));
                out.add(new Action.MprotectRefused(p, o, Prot.RW));
                out.add(new Action.MprotectRefused(p, o, Prot.RX));
            }
            out.add(new Action.Fork(p));
            out.add(new Action.Exit(p));
        }
        return out;
    }

    // The spec's Bytes, limited to lengths that fit: every sequence over Alpha of length 1..max.
    private List<Bytes> writeData(int max) {
        List<Bytes> out = new ArrayList<>();
        List<Bytes> level = List.of(Bytes.EMPTY);
        for (int len = 1; len <= max; len++) {
            List<Bytes> longer = new ArrayList<>();
            for (Bytes prefix : level) {
                for (byte v : cfg.alpha()) {
                    longer.add(prefix.append(Bytes.of(v)));
                }
            }
            out.addAll(longer);
            level = longer;
        }
        return out;
    }

    // ---------------------------------------------------------------- readiness and wake-ups

    /** CanWake: p is blocked in a call that can complete (or, for writers, progress). */
    public boolean canWake(State s, int p) {
        if (s.life(p) != Life.ALIVE) {
            return false;
        }
        Pending pc = s.pc(p);
        if (pc instanceof Pending.Idle) {
            return false;
        } else if (pc instanceof Reading) {
            return readReady(s);
        } else if (pc instanceof Faulting f) {
            return loadRule(s, p, f.o(), claim(s, f.o()), f.i(), s.w()) != BLOCK;
        }
        return appendable(s, p);
    }

    /** WakePending: while a blocked call can complete, waking it is the only step. */
    public boolean wakePending(State s) {
        for (int q = 1; q <= s.nProcs(); q++) {
            if (canWake(s, q)) {
                return true;
            }
        }
        return false;
    }

    private boolean ready(State s, int p, String op) {
        return cfg.allows(op) && s.life(p) == Life.ALIVE && s.pc(p) instanceof Pending.Idle && !wakePending(s);
    }

    private boolean interruptible(State s, int p, String op) {
        return cfg.allows(op) && s.life(p) == Life.ALIVE && !(s.pc(p) instanceof Pending.Idle) && !wakePending(s);
    }

    /** ReadReady: read() would not block. */
    public boolean readReady(State s) {
        return s.w() > s.r() || eof(s);
    }

    /** EOF: no writer reference (descriptor or window) is left. A test seam, see the class comment. */
    protected boolean eof(State s) {
        return s.eof();
    }

    private boolean appendable(State s, int p) {
        return freeSlot(s.slots()) || !s.readers();
    }

    /** A slot of the ring is free: C / P page slots in all (Capacity). */
    private boolean freeSlot(List<Slot> slots) {
        return slots.size() < cfg.c() / cfg.p();
    }

    // ---------------------------------------------------------------- pulling and demand

    record Pulled(int u, Bytes buf, List<Slot> slots, List<Obj> objs) {
    }

    /** Consume: the ring gives k bytes up from its head; an emptied slot is freed. */
    static List<Slot> consume(List<Slot> slots, int k) {
        int i = 0;
        while (k > 0 && i < slots.size() && slots.get(i).len() <= k) {
            k -= slots.get(i).len();
            i++;
        }
        List<Slot> out = new ArrayList<>(slots.subList(i, slots.size()));
        if (k > 0 && !out.isEmpty()) {
            Slot h = out.get(0);
            out.set(0, new Slot(h.fill(), h.len() - k));
        }
        return out;
    }

    /**
     * Pull: positions [u0, k) leave the buffer; a byte whose claim page some process maps goes into
     * the claim's store, any other is dropped.
     */
    Pulled pull(State s, int u0, Bytes buf0, List<Slot> slots0, List<Obj> objs0, int k) {
        int nu = Math.max(u0, Math.min(k, u0 + buf0.length()));
        if (nu == u0) {
            return new Pulled(u0, buf0, slots0, objs0);
        }
        List<Obj> no = new ArrayList<>(objs0.size());
        for (int idx = 0; idx < objs0.size(); idx++) {
            Obj ob = objs0.get(idx);
            if (ob instanceof Claim c) {
                int lo = Math.max(0, u0 - c.base());
                int hi = Math.min(c.len(), nu - c.base());
                int o = idx + 1;
                ob = lo >= hi ? c
                        : c.withGot(c.got().fill(lo, hi, buf0, c.base() + lo - u0,
                                i -> mappedAnywhere(s.maps(), o, i / cfg.p())));
            }
            no.add(ob);
        }
        return new Pulled(nu, buf0.from(nu - u0), consume(slots0, nu - u0), no);
    }

    private static boolean mappedAnywhere(List<List<PageSet>> maps, int o, int page) {
        for (List<PageSet> mine : maps) {
            if (mine.get(o - 1).contains(page)) {
                return true;
            }
        }
        return false;
    }

    /** Demand: where q's blocked call needs the stream pulled up to. */
    private int demand(State s, int q) {
        Pending pc = s.pc(q);
        if (pc instanceof Reading) {
            return s.r();
        } else if (pc instanceof Faulting f) {
            Claim c = claim(s, f.o());
            return c.base() + pageHi(c.len(), f.i() / cfg.p());
        }
        return 0;
    }

    /** WaiterDemand: the largest demand of the other processes (0 if none). */
    private int waiterDemand(State s, int p) {
        int d = 0;
        for (int q = 1; q <= s.nProcs(); q++) {
            if (q != p) {
                d = Math.max(d, demand(s, q));
            }
        }
        return d;
    }

    private int pageLo(int k) {
        return k * cfg.p();
    }

    private int pageHi(int n, int k) {
        return Math.min(k * cfg.p() + cfg.p(), n);
    }

    // ---------------------------------------------------------------- loads

    /** LoadValue: the byte a resident page shows at offset i: a private store, zero fill, or the claimed byte. */
    protected int loadValue(State s, int p, int o, Claim ob, int i, int w) {
        Integer mod = s.mods(p, o).get(i);
        if (mod != null) {
            return mod;
        }
        if (i >= ob.len() || ob.base() + i >= w) {
            return Bytes.ZERO;
        }
        return ob.got().at(i);
    }

    /** LoadRule: a byte, {@link #SIGBUS} or {@link #BLOCK}, after pulling. A test seam, see the class comment. */
    protected int loadRule(State s, int p, int o, Claim ob, int i, int w) {
        int k = i / cfg.p();
        if (w >= ob.base() + pageHi(ob.len(), k)) {
            return loadValue(s, p, o, ob, i, w);
        } else if (eof(s)) {
            return ob.base() + pageLo(k) >= w ? SIGBUS : loadValue(s, p, o, ob, i, w);
        }
        return BLOCK;
    }

    private static Claim claim(State s, int o) {
        return (Claim) s.obj(o);
    }

    private static boolean isClaim(State s, int o) {
        return o >= 1 && o <= s.objs().size() && s.obj(o) instanceof Claim;
    }

    private static boolean isWindow(State s, int o) {
        return o >= 1 && o <= s.objs().size() && s.obj(o) instanceof Window;
    }

    private static boolean mappedBy(State s, int p, int o) {
        return !s.maps(p, o).isEmpty();
    }

    // ---------------------------------------------------------------- references and collection

    /** RefsOf: one reference per descriptor of end e and per mapping of that end p has any page of. */
    private int refsOf(State s, int p, End e) {
        int n = s.fds(p).contains(e) ? 1 : 0;
        for (int o = 1; o <= s.objs().size(); o++) {
            Obj ob = s.obj(o);
            End end = ob instanceof Claim ? End.R : End.W;
            if (!(ob instanceof Obj.Gone) && end == e && mappedBy(s, p, o)) {
                n++;
            }
        }
        return n;
    }

    /** Collect: claim pages mapped nowhere forget their bytes; windows mapped nowhere are gone. */
    private List<Obj> collect(List<Obj> objs0, List<List<PageSet>> maps0) {
        List<Obj> out = new ArrayList<>(objs0.size());
        for (int idx = 0; idx < objs0.size(); idx++) {
            int o = idx + 1;
            Obj ob = objs0.get(idx);
            if (ob instanceof Claim c) {
                ob = c.withGot(c.got().forgetUnless(i -> mappedAnywhere(maps0, o, i / cfg.p())));
            } else if (ob instanceof Window) {
                boolean mapped = false;
                for (List<PageSet> mine : maps0) {
                    mapped |= !mine.get(idx).isEmpty();
                }
                if (!mapped) {
                    ob = Obj.Gone.INSTANCE;
                }
            }
            out.add(ob);
        }
        return out;
    }

    // ---------------------------------------------------------------- appending

    record Appended(int n, int u, Bytes buf, List<Slot> slots, List<Obj> objs) {
    }

    /**
     * AppendData, the way pipe_write() fills the ring: a new call ({@code fresh}) first merges its
     * last partial page into the last slot if it fits there, then new slots of up to P bytes while
     * one is free; after each piece the bytes the other waiters need are pulled (so that a writer
     * never waits on a reader that waits on it).
     */
    private Appended appendData(State s, int p, Bytes data, boolean fresh) {
        int d = waiterDemand(s, p);
        int pg = cfg.p();
        int chars = data.length() % pg;
        List<Slot> sl = s.slots();
        int n = 0;
        if (fresh && chars > 0 && !sl.isEmpty() && sl.get(sl.size() - 1).fill() + chars <= pg) {
            Slot last = sl.get(sl.size() - 1);
            sl = replace(sl, sl.size(), new Slot(last.fill() + chars, last.len() + chars));
            n = chars;
        }
        Pulled pl = pull(s, s.u(), s.buf().append(data.take(n)), sl, s.objs(), d);
        while (n < data.length() && freeSlot(pl.slots())) {
            int m = Math.min(pg, data.length() - n);
            pl = pull(s, pl.u(), pl.buf().append(data.slice(n, n + m)), append(pl.slots(), new Slot(m, m)),
                    pl.objs(), d);
            n += m;
        }
        return new Appended(n, pl.u(), pl.buf(), pl.slots(), pl.objs());
    }

    // ---------------------------------------------------------------- calls

    /** ReadDone: read() returns the bytes after every claimed range, after passing claimed bytes on. */
    private Draft readDone(State s, int p, int n) {
        Pulled pl = pull(s, s.u(), s.buf(), s.slots(), s.objs(), s.r());
        Draft d = new Draft(s);
        d.objs = pl.objs();
        if (s.w() > s.r()) {
            int k = Math.min(n, s.w() - s.r());
            d.u = s.r() + k;
            d.buf = pl.buf().from(k);
            d.slots = consume(pl.slots(), k);
            d.r = s.r() + k;
            d.last = new Outcome.Read(p, n, s.r(), Ret.OK, pl.buf().take(k));
        } else {
            d.u = pl.u();
            d.buf = pl.buf();
            d.slots = pl.slots();
            d.last = new Outcome.Read(p, n, s.r(), Ret.OK, Bytes.EMPTY);
        }
        return d;
    }

    private State read(State s, int p, int n) {
        if (!ready(s, p, "read") || !s.fds(p).contains(End.R) || n < 1 || n > cfg.maxIO()) {
            return null;
        }
        if (readReady(s)) {
            return readDone(s, p, n).build();
        }
        Pulled pl = pull(s, s.u(), s.buf(), s.slots(), s.objs(), s.r());
        Draft d = new Draft(s);
        d.u = pl.u();
        d.buf = pl.buf();
        d.slots = pl.slots();
        d.objs = pl.objs();
        d.pc(p, new Reading(n));
        d.last = new Outcome.Read(p, n, s.r(), Ret.BLOCK, Bytes.EMPTY);
        return d.build();
    }

    /** WriteStep: EPIPE with no reader, else append what fits and block on the rest. */
    private State writeStep(State s, int p, Bytes data, int done, boolean fresh) {
        Draft d = new Draft(s);
        if (!s.readers()) {
            d.pc(p, Pending.IDLE);
            d.last = new Outcome.Write(p, data, true, done > 0 ? Ret.OK : Ret.EPIPE, done);
            return d.build();
        }
        Appended a = appendData(s, p, data, fresh);
        Bytes rest = data.from(a.n());
        d.stream = s.stream().append(data.take(a.n()));
        d.u = a.u();
        d.buf = a.buf();
        d.slots = a.slots();
        d.objs = a.objs();
        if (rest.isEmpty()) {
            d.pc(p, Pending.IDLE);
            d.last = new Outcome.Write(p, data, false, Ret.OK, done + a.n());
        } else {
            d.pc(p, new Writing(rest, done + a.n()));
            d.last = new Outcome.Write(p, data, false, Ret.BLOCK, done + a.n());
        }
        return d.build();
    }

    private State write(State s, int p, Bytes data) {
        if (!ready(s, p, "write") || !s.fds(p).contains(End.W) || data.length() < 1 || data.length() > cfg.maxIO()
                || s.stream().length() + data.length() > cfg.maxW()) {
            return null;
        }
        for (int i = 0; i < data.length(); i++) {
            if (!cfg.alpha().contains((byte) data.at(i))) {
                return null;
            }
        }
        return writeStep(s, p, data, 0, true);
    }

    private State close(State s, int p, End e) {
        if (!ready(s, p, "close") || !s.fds(p).contains(e)) {
            return null;
        }
        Draft d = new Draft(s);
        Set<End> left = new java.util.HashSet<>(s.fds(p));
        left.remove(e);
        d.fds(p, Set.copyOf(left));
        d.rrefs = e == End.R ? s.rrefs() - 1 : s.rrefs();
        d.wrefs = e == End.W ? s.wrefs() - 1 : s.wrefs();
        d.last = new Outcome.Close(p, e);
        return d.build();
    }

    private State poll(State s, int p) {
        if (!ready(s, p, "poll") || !s.fds(p).contains(End.R)) {
            return null;
        }
        Draft d = new Draft(s);
        d.last = new Outcome.Poll(p, readReady(s), Math.max(0, s.w() - s.r()));
        return d.build();
    }

    private State mmap(State s, int p, MmapTry t) {
        if (!tries.contains(t) || !ready(s, p, t.valid() ? "mmap" : "mmaperr") || !s.fds(p).contains(t.end())) {
            return null;
        }
        Draft d = new Draft(s);
        if (!t.valid()) {
            d.last = new Outcome.Mmap(p, t.end(), t.len(), t.prot(), t.flags(), t.off(), t.err(), 0);
            return d.build();
        }
        // MmapOk
        if (s.objs().size() >= cfg.maxObjs()) {
            return null;
        }
        int o = s.objs().size() + 1;
        boolean claim = t.end() == End.R;
        Obj ob = claim
                ? new Claim(s.r(), t.len(), t.flags() == Flags.SHARED, t.prot() == Prot.RW, ClaimStore.empty(t.len()))
                : new Window(t.len(), Bytes.zeros(t.len()), 0);
        d.objs = append(s.objs(), ob);
        d.maps = new ArrayList<>();
        d.mods = new ArrayList<>();
        for (int q = 1; q <= s.nProcs(); q++) {
            d.maps.add(append(s.maps().get(q - 1), q == p ? PageSet.range(0, cfg.pages(t.len())) : PageSet.EMPTY));
            d.mods.add(append(s.mods().get(q - 1), Map.of()));
        }
        d.r = claim ? s.r() + t.len() : s.r();
        d.rrefs = claim ? s.rrefs() + 1 : s.rrefs();
        d.wrefs = claim ? s.wrefs() : s.wrefs() + 1;
        d.last = new Outcome.Mmap(p, t.end(), t.len(), t.prot(), t.flags(), 0, Ret.OK, o);
        return d.build();
    }

    /** FaultStep: pull the page's bytes, then the load rule decides; a store changes only p's copy. */
    private State faultStep(State s, int p, int o, int i, Faulting call) {
        Claim ob0 = claim(s, o);
        Pulled pl = pull(s, s.u(), s.buf(), s.slots(), s.objs(), ob0.base() + pageHi(ob0.len(), i / cfg.p()));
        int out = loadRule(s, p, o, (Claim) pl.objs().get(o - 1), i, s.w());
        Draft d = new Draft(s);
        d.u = pl.u();
        d.buf = pl.buf();
        d.slots = pl.slots();
        d.objs = pl.objs();
        if (out == BLOCK) {
            d.pc(p, call);
            d.last = new Outcome.Fault(p, call.op(), o, i, call.v(), Ret.BLOCK, Bytes.NONE);
            return d.build();
        }
        d.pc(p, Pending.IDLE);
        if (call.op() == FaultOp.STORE && out != SIGBUS) {
            Map<Integer, Integer> m = new HashMap<>(s.mods(p, o));
            m.put(i, call.v());
            d.mods(p, o, Map.copyOf(m));
            d.last = new Outcome.Fault(p, call.op(), o, i, call.v(), Ret.OK, Bytes.NONE);
        } else {
            d.last = new Outcome.Fault(p, call.op(), o, i, call.v(), out == SIGBUS ? Ret.SIGBUS : Ret.OK,
                    out == SIGBUS ? Bytes.NONE : out);
        }
        return d.build();
    }

    private boolean offsetInRange(int i) {
        return i >= 0 && i <= cfg.pages(cfg.maxLen()) * cfg.p() - 1;
    }

    private boolean letter(int v) {
        return v >= 0 && v <= 255 && cfg.alpha().contains((byte) v);
    }

    private State load(State s, int p, int o, int i) {
        if (!ready(s, p, "load") || !isClaim(s, o) || !offsetInRange(i) || !s.maps(p, o).contains(i / cfg.p())) {
            return null;
        }
        return faultStep(s, p, o, i, new Faulting(FaultOp.LOAD, o, i, Bytes.NONE));
    }

    private State storePrivate(State s, int p, int o, int i, int v) {
        if (!ready(s, p, "store") || !isClaim(s, o) || !claim(s, o).rw() || !offsetInRange(i) || !letter(v)
                || !s.maps(p, o).contains(i / cfg.p())) {
            return null;
        }
        return faultStep(s, p, o, i, new Faulting(FaultOp.STORE, o, i, v));
    }

    private State storeWindow(State s, int p, int o, int i, int v) {
        if (!ready(s, p, "store") || !isWindow(s, o) || !mappedBy(s, p, o) || i < 0
                || i >= ((Window) s.obj(o)).len() || !letter(v)) {
            return null;
        }
        Window w = (Window) s.obj(o);
        Draft d = new Draft(s);
        d.objs = replace(s.objs(), o, new Window(w.len(), w.data().with(i, v), w.c()));
        d.last = new Outcome.Fault(p, FaultOp.STORE, o, i, v, Ret.OK, Bytes.NONE);
        return d.build();
    }

    /** CommitStep: msync() appends window bytes [c, e) like write() does, EPIPE with no reader. */
    private State commitStep(State s, int p, int o, int e, boolean fresh) {
        Window ob = (Window) s.obj(o);
        Bytes data = ob.c() >= e ? Bytes.EMPTY : ob.data().slice(ob.c(), e);
        Draft d = new Draft(s);
        if (!s.readers()) {
            d.pc(p, Pending.IDLE);
            d.last = new Outcome.Msync(p, o, e, true, Ret.EPIPE);
            return d.build();
        }
        Appended a = appendData(s, p, data, fresh);
        Window committed = (Window) a.objs().get(o - 1);
        d.objs = replace(a.objs(), o, new Window(committed.len(), committed.data(), ob.c() + a.n()));
        d.stream = s.stream().append(data.take(a.n()));
        d.u = a.u();
        d.buf = a.buf();
        d.slots = a.slots();
        if (ob.c() + a.n() == e) {
            d.pc(p, Pending.IDLE);
            d.last = new Outcome.Msync(p, o, e, false, Ret.OK);
        } else {
            d.pc(p, new Syncing(o, e));
            d.last = new Outcome.Msync(p, o, e, false, Ret.BLOCK);
        }
        return d.build();
    }

    private State msync(State s, int p, int o, int e) {
        if (!ready(s, p, "msync") || !isWindow(s, o) || !mappedBy(s, p, o) || e < 1 || e > cfg.maxLen() + 1) {
            return null;
        }
        Window w = (Window) s.obj(o);
        if (e > w.len() + 1) {
            return null;
        }
        Draft d = new Draft(s);
        if (e > w.len()) {
            d.last = new Outcome.Msync(p, o, e, false, Ret.ENOMEM);
            return d.build();
        } else if (e <= w.c()) {
            d.last = new Outcome.Msync(p, o, e, false, Ret.OK);
            return d.build();
        } else if (s.stream().length() + e - w.c() > cfg.maxW()) {
            return null;
        }
        return commitStep(s, p, o, e, true);
    }

    private static int length(Obj ob) {
        return ob instanceof Claim c ? c.len() : ((Window) ob).len();
    }

    private State munmap(State s, int p, int o, int a, int b) {
        if (!ready(s, p, "munmap") || o < 1 || o > s.objs().size() || s.obj(o) instanceof Obj.Gone
                || !mappedBy(s, p, o) || a < 0 || a >= b || b > cfg.pages(length(s.obj(o)))) {
            return null;
        }
        PageSet range = PageSet.range(a, b);
        PageSet mine = s.maps(p, o);
        if (!range.intersects(mine)) {
            return null;
        }
        Draft d = new Draft(s);
        if (s.obj(o) instanceof Window && !mine.subsetOf(range)) {
            d.last = new Outcome.Munmap(p, o, a, b, Ret.EINVAL);
            return d.build();
        }
        d.maps(p, o, mine.minus(range));
        boolean gone = d.maps.get(p - 1).get(o - 1).isEmpty();
        Map<Integer, Integer> kept = new HashMap<>();
        s.mods(p, o).forEach((i, v) -> {
            if (i / cfg.p() < a || i / cfg.p() >= b) {
                kept.put(i, v);
            }
        });
        d.mods(p, o, Map.copyOf(kept));
        d.objs = collect(s.objs(), d.maps);
        boolean claim = s.obj(o) instanceof Claim;
        d.rrefs = gone && claim ? s.rrefs() - 1 : s.rrefs();
        d.wrefs = gone && !claim ? s.wrefs() - 1 : s.wrefs();
        d.last = new Outcome.Munmap(p, o, a, b, Ret.OK);
        return d.build();
    }

    private State mremapGrow(State s, int p, int o) {
        if (!ready(s, p, "mremap") || o < 1 || o > s.objs().size() || !mappedBy(s, p, o)) {
            return null;
        }
        Draft d = new Draft(s);
        d.last = new Outcome.Mremap(p, o, cfg.pages(length(s.obj(o))) * cfg.p() + cfg.p(), Ret.EFAULT);
        return d.build();
    }

    private State mprotectRefused(State s, int p, int o, Prot prot) {
        if (!ready(s, p, "mprotect") || o < 1 || o > s.objs().size() || !mappedBy(s, p, o)) {
            return null;
        }
        boolean refused = prot == Prot.RX || prot == Prot.RW && isClaim(s, o) && claim(s, o).shared();
        if (!refused) {
            return null;
        }
        Draft d = new Draft(s);
        d.last = new Outcome.Mprotect(p, o, prot, Ret.EACCES);
        return d.build();
    }

    /** Fork: the smallest unborn process becomes p's child, with p's descriptors and mappings. */
    private State fork(State s, int p) {
        if (!ready(s, p, "fork")) {
            return null;
        }
        int q = s.life().indexOf(Life.UNBORN) + 1;
        if (q == 0) {
            return null;
        }
        Draft d = new Draft(s);
        d.life = replace(s.life(), q, Life.ALIVE);
        d.fds(q, s.fds(p));
        d.maps = replace(s.maps(), q, s.maps().get(p - 1));
        d.mods = replace(s.mods(), q, s.mods().get(p - 1));
        d.rrefs = s.rrefs() + refsOf(s, p, End.R);
        d.wrefs = s.wrefs() + refsOf(s, p, End.W);
        d.last = new Outcome.Fork(p, q);
        return d.build();
    }

    /** Vanish: exit() or SIGKILL; every descriptor and mapping of p goes. */
    private State vanish(State s, int p, boolean killed) {
        Draft d = new Draft(s);
        d.life = replace(s.life(), p, Life.DEAD);
        d.fds(p, Set.of());
        List<PageSet> none = Collections.nCopies(s.objs().size(), PageSet.EMPTY);
        d.maps = replace(s.maps(), p, none);
        d.mods = replace(s.mods(), p, Collections.nCopies(s.objs().size(), Map.of()));
        d.objs = collect(s.objs(), d.maps);
        d.pc(p, Pending.IDLE);
        d.rrefs = s.rrefs() - refsOf(s, p, End.R);
        d.wrefs = s.wrefs() - refsOf(s, p, End.W);
        d.last = new Outcome.Vanish(p, killed);
        return d.build();
    }

    /** Signal: a blocked fault runs the handler and restarts; read, write and msync return. */
    private State signal(State s, int p) {
        if (!interruptible(s, p, "signal")) {
            return null;
        }
        Draft d = new Draft(s);
        Pending pc = s.pc(p);
        if (pc instanceof Faulting) {
            d.last = new Outcome.Signal(p, Ret.RESTART, 0);
        } else {
            d.pc(p, Pending.IDLE);
            int done = pc instanceof Writing w ? w.done() : 0;
            d.last = new Outcome.Signal(p, done > 0 ? Ret.OK : Ret.EINTR, done);
        }
        return d.build();
    }

    /** Wake: the blocked call of p completes, or a writer moves what now fits. */
    private State wake(State s, int p) {
        if (!canWake(s, p)) {
            return null;
        }
        Pending pc = s.pc(p);
        if (pc instanceof Reading x) {
            Draft d = readDone(s, p, x.n());
            d.pc(p, Pending.IDLE);
            return d.build();
        } else if (pc instanceof Faulting f) {
            return faultStep(s, p, f.o(), f.i(), f);
        } else if (pc instanceof Writing w) {
            return writeStep(s, p, w.data(), w.done(), false);
        }
        Syncing y = (Syncing) pc;
        return commitStep(s, p, y.o(), y.e(), false);
    }

    // ---------------------------------------------------------------- list helpers

    private static <T> List<T> append(List<T> list, T value) {
        List<T> out = new ArrayList<>(list.size() + 1);
        out.addAll(list);
        out.add(value);
        return out;
    }

    /** The list with element {@code oneBased} replaced. */
    private static <T> List<T> replace(List<T> list, int oneBased, T value) {
        List<T> out = new ArrayList<>(list);
        out.set(oneBased - 1, value);
        return out;
    }

    /** The next state under construction: starts as a copy of the current one (UNCHANGED). */
    private static final class Draft {
        List<Life> life;
        List<Set<End>> fds;
        List<Pending> pc;
        Bytes stream;
        Bytes buf;
        List<Slot> slots;
        int u;
        int r;
        List<Obj> objs;
        List<List<PageSet>> maps;
        List<List<Map<Integer, Integer>>> mods;
        int rrefs;
        int wrefs;
        Outcome last;

        Draft(State s) {
            life = s.life();
            fds = s.fds();
            pc = s.pc();
            stream = s.stream();
            buf = s.buf();
            slots = s.slots();
            u = s.u();
            r = s.r();
            objs = s.objs();
            maps = s.maps();
            mods = s.mods();
            rrefs = s.rrefs();
            wrefs = s.wrefs();
        }

        void pc(int p, Pending v) {
            pc = replace(pc, p, v);
        }

        void fds(int p, Set<End> v) {
            fds = replace(fds, p, v);
        }

        void maps(int p, int o, PageSet v) {
            maps = replace(maps, p, replace(maps.get(p - 1), o, v));
        }

        void mods(int p, int o, Map<Integer, Integer> v) {
            mods = replace(mods, p, replace(mods.get(p - 1), o, v));
        }

        State build() {
            return new State(life, fds, pc, stream, buf, slots, u, r, objs, maps, mods, rrefs, wrefs, last);
        }
    }
}
