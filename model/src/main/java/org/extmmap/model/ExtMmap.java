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
import org.extmmap.model.units.Unit;
import org.extmmap.model.units.Units;

/**
 * The shared mechanism of spec/ExtMmap.tla: readiness, Pull, Consume, AppendData, LoadRule, the
 * steps that a call and its wake-up share (ReadDone, WriteStep, FaultStep, CommitStep, Vanish),
 * and reference counting. Each action of the spec's Next is a {@link Unit} (package {@code
 * units}): its arguments, guards and step; this class asks them. Method names follow the spec's
 * definitions.
 *
 * <p>Use {@link #steps(State)} for every enabled step (what TLC explores), or {@link #take(State,
 * Action)} for the outcome of one chosen call, which is how a test oracle with real sizes asks.
 *
 * <p>Not final only so that tests can plant a deliberate bug through the seams {@link #loadRule},
 * {@link #loadValue}, {@link #eof}, {@link #canWake} and {@link #demand} and show that the graph
 * comparison and the conformance harness catch it (or, for {@link #demand}, what a changed rule
 * explains).
 */
public class ExtMmap {
    private final Config cfg;
    private final List<MmapTry> tries;
    private final Set<MmapTry> tried;
    private final boolean[] letters = new boolean[256]; // Alpha by byte value: stores test it per byte

    public ExtMmap(Config cfg) {
        this.cfg = cfg;
        this.tries = MmapTry.all(cfg);
        this.tried = Set.copyOf(tries);
        for (byte b : cfg.alpha()) {
            letters[b & 0xff] = true;
        }
    }

    public Config config() {
        return cfg;
    }

    /** t is among the spec's MmapTries (a set: at real sizes there are tens of thousands). */
    public boolean tried(MmapTry t) {
        return tried.contains(t);
    }

    /** The spec's MmapTries for this configuration. */
    public List<MmapTry> tries() {
        return tries;
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
        if (a.p() < 1 || a.p() > s.nProcs()) {
            return Optional.empty();
        }
        State next = Units.of(a).stepOf(this, s, a);
        return next == null ? Optional.empty() : Optional.of(new Step(a, next));
    }

    /**
     * The actions worth trying in {@code s}: each unit's argument ranges for each live process,
     * narrowed to calls that can be enabled. {@link #take} decides.
     */
    public List<Action> candidates(State s) {
        List<Action> out = new ArrayList<>();
        boolean wakePending = wakePending(s);
        for (int p = 1; p <= s.nProcs(); p++) {
            if (s.life(p) != Life.ALIVE) {
                continue;
            }
            boolean idle = s.pc(p) instanceof Pending.Idle;
            for (Unit<?> u : Units.ALL) {
                boolean wake = u.when() == Unit.When.WAKE_PENDING;
                // with WakeAtOnce a pending wake-up is the only step; without, it is one of them
                boolean tried = cfg.wakeAtOnce() && wakePending ? wake
                        : wake ? !cfg.wakeAtOnce() && !idle : u.when() == (idle ? Unit.When.IDLE : Unit.When.BLOCKED);
                if (tried) {
                    u.arguments(this, s, p, out::add);
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- readiness and wake-ups

    /** CanWake: p is blocked in a call that can complete (or, for writers, progress). A test seam. */
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
            return !(loadRule(s, p, f.o(), claim(s, f.o()), f.i(), s.w()) instanceof LoadResult.Blocks);
        } else if (pc instanceof Syncing y && ((Window) s.obj(y.o())).c() >= y.e()) {
            return true; // another commit of the shared window took the commit point to this one's end
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

    /** Ready: p is alive, idle, no wake-up is pending (WakeAtOnce), and {@code op} is among the Ops. */
    public boolean ready(State s, int p, String op) {
        return cfg.allows(op) && s.life(p) == Life.ALIVE && s.pc(p) instanceof Pending.Idle && wakeWaits(s);
    }

    /** Interruptible: p is alive and blocked, and no wake-up is pending (WakeAtOnce). */
    public boolean interruptible(State s, int p, String op) {
        return cfg.allows(op) && s.life(p) == Life.ALIVE && !(s.pc(p) instanceof Pending.Idle) && wakeWaits(s);
    }

    /** WakeAtOnce => ~WakePending. */
    private boolean wakeWaits(State s) {
        return !cfg.wakeAtOnce() || !wakePending(s);
    }

    /** ReadReady: read() would not block. */
    public boolean readReady(State s) {
        return s.w() > s.r() || eof(s);
    }

    /** EOF: no writer reference (descriptor or window) is left. A test seam, see the class comment. */
    public boolean eof(State s) {
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

    /** Where the buffer, its ring and the claim stores stand after a pull (the spec's Pull record). */
    public record Pulled(int u, Bytes buf, List<Slot> slots, List<Obj> objs) {
    }

    /** Consume: the ring gives k bytes up from its head; an emptied slot is freed. */
    public static List<Slot> consume(List<Slot> slots, int k) {
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

    /** Pull from the state's own buffer up to k. */
    public Pulled pull(State s, int k) {
        return pull(s, s.u(), s.buf(), s.slots(), s.objs(), k);
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
                                page -> mappedAnywhere(s.maps(), o, page), cfg.p()));
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

    /** Demand: where q's blocked call needs the stream pulled up to. A test seam. */
    protected int demand(State s, int q) {
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

    /** PageHi: the end of page k of a mapping of length n. */
    public int pageHi(int n, int k) {
        return Math.min(k * cfg.p() + cfg.p(), n);
    }

    /** ReadyHi: the end of the claim's last page whose bytes are all committed (negative before its first). */
    private int readyHi(State s, Claim ob) {
        return s.w() >= ob.base() + ob.len() ? ob.len() : Math.floorDiv(s.w() - ob.base(), cfg.p()) * cfg.p();
    }

    /**
     * LoadHi: a page not yet pulled is pulled together with every later page of its claim whose bytes are all
     * committed (one fault maps them all); a page already pulled pulls nothing.
     */
    public int loadHi(State s, Claim ob, int i) {
        int hi = ob.base() + pageHi(ob.len(), i / cfg.p());
        return hi <= s.u() ? hi : Math.max(hi, ob.base() + readyHi(s, ob));
    }

    // ---------------------------------------------------------------- loads

    /** LoadValue: the byte a resident page shows at offset i: a private store, zero fill, or the claimed byte. */
    public int loadValue(State s, int p, int o, Claim ob, int i, int w) {
        Integer mod = s.mods(p, o).get(i);
        if (mod != null) {
            return mod;
        }
        if (i >= ob.len() || ob.base() + i >= w) {
            return Bytes.ZERO;
        }
        return ob.got().at(i);
    }

    /** LoadRule: a byte, SIGBUS or "block", after pulling. A test seam, see the class comment. */
    public LoadResult loadRule(State s, int p, int o, Claim ob, int i, int w) {
        int k = i / cfg.p();
        if (w >= ob.base() + pageHi(ob.len(), k)) {
            return new LoadResult.Value(loadValue(s, p, o, ob, i, w));
        } else if (eof(s)) {
            return ob.base() + pageLo(k) >= w ? LoadResult.SIGBUS : new LoadResult.Value(loadValue(s, p, o, ob, i, w));
        }
        return LoadResult.BLOCKS;
    }

    public static Claim claim(State s, int o) {
        return (Claim) s.obj(o);
    }

    public static boolean isClaim(State s, int o) {
        return o >= 1 && o <= s.objs().size() && s.obj(o) instanceof Claim;
    }

    public static boolean isWindow(State s, int o) {
        return o >= 1 && o <= s.objs().size() && s.obj(o) instanceof Window;
    }

    /** Window o if it is one and p maps it (IsWindow(o) /\ MappedBy(p, o)), else null. */
    public static Window mappedWindow(State s, int p, int o) {
        return isWindow(s, o) && mappedBy(s, p, o) ? (Window) s.obj(o) : null;
    }

    /** MappedBy: p maps some page of mapping o. */
    public static boolean mappedBy(State s, int p, int o) {
        return !s.maps(p, o).isEmpty();
    }

    /** A mapping's length in bytes (the spec's objs[o].len). */
    public static int length(Obj ob) {
        return ob instanceof Claim c ? c.len() : ((Window) ob).len();
    }

    /** i is in 0..MaxOffset. */
    public boolean offsetInRange(int i) {
        return i >= 0 && i <= cfg.pages(cfg.maxLen()) * cfg.p() - 1;
    }

    /** v is in Alpha. */
    public boolean letter(int v) {
        return v >= 0 && v <= 255 && letters[v];
    }

    // ---------------------------------------------------------------- references and collection

    /** RefsOf: one reference per descriptor of end e and per mapping of that end p has any page of. */
    public int refsOf(State s, int p, End e) {
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
    public List<Obj> collect(List<Obj> objs0, List<List<PageSet>> maps0) {
        List<Obj> out = new ArrayList<>(objs0.size());
        for (int idx = 0; idx < objs0.size(); idx++) {
            int o = idx + 1;
            Obj ob = objs0.get(idx);
            if (ob instanceof Claim c) {
                ob = c.withGot(c.got().forgetPagesUnless(k -> mappedAnywhere(maps0, o, k), cfg.p()));
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

    record Appended(int n, Pulled at) {
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
            sl = NextState.replace(sl, sl.size(), new Slot(last.fill() + chars, last.len() + chars));
            n = chars;
        }
        Pulled pl = pull(s, s.u(), s.buf().append(data.take(n)), sl, s.objs(), d);
        while (n < data.length() && freeSlot(pl.slots())) {
            int m = Math.min(pg, data.length() - n);
            pl = pull(s, pl.u(), pl.buf().append(data.slice(n, n + m)),
                    NextState.append(pl.slots(), new Slot(m, m)), pl.objs(), d);
            n += m;
        }
        return new Appended(n, pl);
    }

    // ---------------------------------------------------------------- steps a call shares with its wake-up

    /** ReadDone: read() returns the bytes after every claimed range, after passing claimed bytes on. */
    public NextState readDone(State s, int p, int n) {
        Pulled pl = pull(s, s.r());
        NextState d = new NextState(s);
        if (s.w() > s.r()) {
            int k = Math.min(n, s.w() - s.r());
            d.mechanism(new Pulled(s.r() + k, pl.buf().from(k), consume(pl.slots(), k), pl.objs()));
            d.r = s.r() + k;
            d.last = new Outcome.Read(p, n, s.r(), Ret.OK, pl.buf().take(k));
        } else {
            d.mechanism(pl);
            d.last = new Outcome.Read(p, n, s.r(), Ret.OK, Bytes.EMPTY);
        }
        return d;
    }

    /** WriteStep: EPIPE with no reader, else append what fits and block on the rest. */
    public State writeStep(State s, int p, Bytes data, int done, boolean fresh) {
        NextState d = new NextState(s);
        if (!s.readers()) {
            d.pc(p, Pending.IDLE);
            d.last = new Outcome.Write(p, data, true, done > 0 ? Ret.OK : Ret.EPIPE, done);
            return d.build();
        }
        Appended a = appendData(s, p, data, fresh);
        Bytes rest = data.from(a.n());
        d.stream = s.stream().append(data.take(a.n()));
        d.mechanism(a.at());
        if (rest.isEmpty()) {
            d.pc(p, Pending.IDLE);
            d.last = new Outcome.Write(p, data, false, Ret.OK, done + a.n());
        } else {
            d.pc(p, new Writing(rest, done + a.n()));
            d.last = new Outcome.Write(p, data, false, Ret.BLOCK, done + a.n());
        }
        return d.build();
    }

    /** FaultStep: pull to LoadHi, then the load rule decides; a store changes only p's copy. */
    public State faultStep(State s, int p, int o, int i, Faulting call) {
        Claim ob0 = claim(s, o);
        Pulled pl = pull(s, loadHi(s, ob0, i));
        LoadResult out = loadRule(s, p, o, (Claim) pl.objs().get(o - 1), i, s.w());
        NextState d = new NextState(s).mechanism(pl);
        if (out instanceof LoadResult.Blocks) {
            d.pc(p, call);
            d.last = new Outcome.Fault(p, call.op(), o, i, call.v(), Ret.BLOCK, Bytes.NONE);
            return d.build();
        }
        d.pc(p, Pending.IDLE);
        if (out instanceof LoadResult.Value loaded) {
            if (call.op() == FaultOp.STORE) {
                Map<Integer, Integer> m = new HashMap<>(s.mods(p, o));
                m.put(i, call.v());
                d.mods(p, o, Collections.unmodifiableMap(m)); // one copy: a run of stores takes one per byte
                d.last = new Outcome.Fault(p, call.op(), o, i, call.v(), Ret.OK, Bytes.NONE);
            } else {
                d.last = new Outcome.Fault(p, call.op(), o, i, call.v(), Ret.OK, loaded.v());
            }
        } else {
            d.last = new Outcome.Fault(p, call.op(), o, i, call.v(), Ret.SIGBUS, Bytes.NONE);
        }
        return d.build();
    }

    /**
     * CommitStep: msync() appends window bytes [c, e) like write() does, EPIPE with no reader;
     * done once the window's commit point reaches e, whichever commit moved it there.
     */
    public State commitStep(State s, int p, int o, int e, boolean fresh) {
        Window ob = (Window) s.obj(o);
        NextState d = new NextState(s);
        if (ob.c() >= e) {
            d.pc(p, Pending.IDLE);
            d.last = new Outcome.Msync(p, o, e, false, Ret.OK);
            return d.build();
        }
        Bytes data = ob.data().slice(ob.c(), e);
        if (!s.readers()) {
            d.pc(p, Pending.IDLE);
            d.last = new Outcome.Msync(p, o, e, true, Ret.EPIPE);
            return d.build();
        }
        Appended a = appendData(s, p, data, fresh);
        d.mechanism(a.at());
        Window committed = (Window) a.at().objs().get(o - 1);
        d.objs = NextState.replace(d.objs, o, new Window(committed.len(), committed.data(), ob.c() + a.n()));
        d.stream = s.stream().append(data.take(a.n()));
        if (ob.c() + a.n() == e) {
            d.pc(p, Pending.IDLE);
            d.last = new Outcome.Msync(p, o, e, false, Ret.OK);
        } else {
            d.pc(p, new Syncing(o, e));
            d.last = new Outcome.Msync(p, o, e, false, Ret.BLOCK);
        }
        return d.build();
    }

    /** Vanish: exit() or SIGKILL; every descriptor and mapping of p goes. */
    public State vanish(State s, int p, boolean killed) {
        NextState d = new NextState(s);
        d.life = NextState.replace(s.life(), p, Life.DEAD);
        d.fds(p, Set.of());
        List<PageSet> none = Collections.nCopies(s.objs().size(), PageSet.EMPTY);
        d.maps = NextState.replace(s.maps(), p, none);
        d.mods = NextState.replace(s.mods(), p, Collections.nCopies(s.objs().size(), Map.of()));
        d.objs = collect(s.objs(), d.maps);
        d.pc(p, Pending.IDLE);
        d.rrefs = s.rrefs() - refsOf(s, p, End.R);
        d.wrefs = s.wrefs() - refsOf(s, p, End.W);
        d.last = new Outcome.Vanish(p, killed);
        return d.build();
    }
}
