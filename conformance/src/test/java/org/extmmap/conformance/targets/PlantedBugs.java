package org.extmmap.conformance.targets;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.extmmap.model.Action;
import org.extmmap.model.Bytes;
import org.extmmap.model.Config;
import org.extmmap.model.End;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.LoadResult;
import org.extmmap.model.NextState;
import org.extmmap.model.Obj;
import org.extmmap.model.Obj.Claim;
import org.extmmap.model.Outcome;
import org.extmmap.model.Pending;
import org.extmmap.model.Ret;
import org.extmmap.model.State;
import org.extmmap.model.Step;

/**
 * Fault-injected targets: the model with one deliberate bug each, the kind a kernel
 * implementation could have. The graph replay (HarnessCatchesBugsTest) and the random walks
 * (WalksCatchBugsTest) must each catch every one.
 */
public final class PlantedBugs {
    private PlantedBugs() {
    }

    /**
     * One planted bug.
     *
     * @param graph the spec graph whose replay exercises the rule it breaks
     * @param target the model with the bug, for a configuration
     */
    public record Bug(String name, String graph, Function<Config, ExtMmap> target) {
    }

    /** A model whose load rule's answer (a byte, SIGBUS or BLOCK) {@code wrong} changes. */
    private static Function<Config, ExtMmap> loadRuleChanged(BiFunction<State, LoadResult, LoadResult> wrong) {
        return c -> new ExtMmap(c) {
            @Override
            public LoadResult loadRule(State s, int p, int o, Claim ob, int i, int w) {
                return wrong.apply(s, super.loadRule(s, p, o, ob, i, w));
            }
        };
    }

    public static final List<Bug> ALL = List.of(
            new Bug("stale byte: a loaded letter is the other letter", "Quick", c -> new ExtMmap(c) {
                @Override
                public int loadValue(State s, int p, int o, Claim ob, int i, int w) {
                    int v = super.loadValue(s, p, o, ob, i, w);
                    return v == 'a' ? 'b' : v == 'b' ? 'a' : v;
                }
            }),
            new Bug("data shifted by one: a load shows the byte after its own", "Quick", c -> new ExtMmap(c) {
                @Override
                public int loadValue(State s, int p, int o, Claim ob, int i, int w) {
                    return super.loadValue(s, p, o, ob, i + 1, w);
                }
            }),
            new Bug("zero fill where SIGBUS belongs", "Quick",
                    loadRuleChanged((s, v) -> v instanceof LoadResult.Sigbus ? new LoadResult.Value(Bytes.ZERO) : v)),
            new Bug("SIGBUS one page early (where zero fill belongs)", "Quick",
                    loadRuleChanged((s, v) -> s.eof() && v.equals(new LoadResult.Value(Bytes.ZERO)) ? LoadResult.SIGBUS : v)),
            new Bug("no block: a load that must wait returns zero", "Quick",
                    loadRuleChanged((s, v) -> v instanceof LoadResult.Blocks ? new LoadResult.Value(Bytes.ZERO) : v)),
            new Bug("EOF while a write window is mapped (only descriptors counted)", "Errors", c -> new ExtMmap(c) {
                @Override
                public boolean eof(State s) {
                    return s.fds().stream().noneMatch(f -> f.contains(End.W));
                }
            }),
            new Bug("lost wake-up: a blocked load is never woken", "Pulling", c -> new ExtMmap(c) {
                @Override
                public boolean canWake(State s, int p) {
                    return !(s.pc(p) instanceof Pending.Faulting) && super.canWake(s, p);
                }
            }),
            // the write side and processes
            new Bug("a new window is not zero (its first letter where zeros belong)", "Windows", c -> new ExtMmap(c) {
                @Override
                public Optional<Step> take(State s, Action a) {
                    return super.take(s, a).map(st -> a instanceof Action.Mmap m && m.t().end() == End.W
                            && st.outcome().ret() == Ret.OK ? new Step(a, dirtyWindow(st.next(), c)) : st);
                }
            }),
            new Bug("a commit rounded up to the page's end", "Windows", c -> new ExtMmap(c) {
                @Override
                public Optional<Step> take(State s, Action a) {
                    if (a instanceof Action.Msync m && s.obj(m.o()) instanceof Obj.Window w && m.e() <= w.len()) {
                        int up = Math.min(w.len(), (m.e() + c.p() - 1) / c.p() * c.p());
                        Optional<Step> wrong = super.take(s, new Action.Msync(m.p(), m.o(), up));
                        return wrong.map(st -> new Step(a, withLast(st.next(), relabel(st.outcome(), m.e()))));
                    }
                    return super.take(s, a);
                }
            }),
            new Bug("the end query counts one byte too many (a byte not in the stream yet)", "Quick",
                    c -> new ExtMmap(c) {
                @Override
                public Optional<Step> take(State s, Action a) {
                    return super.take(s, a).map(st -> st.outcome() instanceof Outcome.ClaimEnd e && e.ret() == Ret.OK
                            && e.n() < ((Claim) s.obj(e.o())).len() ? new Step(a, withLast(st.next(),
                            new Outcome.ClaimEnd(e.p(), e.o(), e.ret(), e.n() + 1, e.isFinal()))) : st);
                }
            }),
            new Bug("the end query says final while a writer is left", "Fork", c -> new ExtMmap(c) {
                @Override
                public Optional<Step> take(State s, Action a) {
                    return super.take(s, a).map(st -> st.outcome() instanceof Outcome.ClaimEnd e && e.ret() == Ret.OK
                            ? new Step(a, withLast(st.next(), new Outcome.ClaimEnd(e.p(), e.o(), e.ret(), e.n(), true)))
                            : st);
                }
            }),
            new Bug("a commit that does not block at capacity (msync returns at once)", "Windows", c -> new ExtMmap(c) {
                @Override
                public State commitStep(State s, int p, int o, int e, boolean fresh) {
                    State st = super.commitStep(s, p, o, e, fresh);
                    if (!(st.pc(p) instanceof Pending.Syncing)) {
                        return st;
                    }
                    NextState d = new NextState(st);
                    d.pc(p, Pending.IDLE);
                    d.last = new Outcome.Msync(p, o, e, false, Ret.OK);
                    return d.build();
                }
            }),
            new Bug("fork does not share the commit point: process 2 commits from its own (zero) point", "Fork",
                    c -> new ExtMmap(c) {
                @Override
                public Optional<Step> take(State s, Action a) {
                    if (a instanceof Action.Msync m && m.p() == 2 && m.o() <= s.objs().size()
                            && s.obj(m.o()) instanceof Obj.Window w && w.c() > 0) {
                        NextState d = new NextState(s);
                        d.objs = NextState.replace(s.objs(), m.o(), new Obj.Window(w.len(), w.data(), 0));
                        d.last = s.last();
                        return super.take(d.build(), a);
                    }
                    return super.take(s, a);
                }
            }),
            new Bug("a caught signal ends a blocked load with EINTR instead of restarting it", "Fork", c -> new ExtMmap(c) {
                @Override
                public Optional<Step> take(State s, Action a) {
                    if (a instanceof Action.Signal && a.p() <= s.nProcs() && s.pc(a.p()) instanceof Pending.Faulting
                            && interruptible(s, a.p(), "signal")) {
                        NextState d = new NextState(s);
                        d.pc(a.p(), Pending.IDLE);
                        d.last = new Outcome.Signal(a.p(), Ret.EINTR, 0);
                        return Optional.of(new Step(a, d.build()));
                    }
                    return super.take(s, a);
                }
            }),
            new Bug("SIGKILL leaves the mappings of a process blocked in a fault", "Fork", c -> new ExtMmap(c) {
                @Override
                public Optional<Step> take(State s, Action a) {
                    return super.take(s, a).map(st -> a instanceof Action.Kill && s.pc(a.p()) instanceof Pending.Faulting
                            ? new Step(a, keepMaps(s, st.next(), a.p())) : st);
                }
            }));

    /** The state with the newest window's bytes all set to the first letter of Alpha. */
    private static State dirtyWindow(State s, Config c) {
        int o = s.objs().size();
        Obj.Window w = (Obj.Window) s.obj(o);
        Bytes dirty = Bytes.EMPTY;
        for (int i = 0; i < w.len(); i++) {
            dirty = dirty.append(Bytes.of(c.alpha().get(0)));
        }
        NextState d = new NextState(s);
        d.objs = NextState.replace(s.objs(), o, new Obj.Window(w.len(), dirty, w.c()));
        d.last = s.last();
        return d.build();
    }

    private static State withLast(State s, Outcome last) {
        NextState d = new NextState(s);
        d.last = last;
        return d.build();
    }

    /** A commit's outcome as if made for e: the wrong commit reports the call that was asked for. */
    private static Outcome relabel(Outcome o, int e) {
        Outcome.Msync m = (Outcome.Msync) o;
        return new Outcome.Msync(m.p(), m.o(), e, m.sigpipe(), m.ret());
    }

    /** After a kill, p's mappings (and the references they hold) stay as they were. */
    private static State keepMaps(State before, State after, int p) {
        NextState d = new NextState(after);
        d.maps = NextState.replace(after.maps(), p, before.maps().get(p - 1));
        d.objs = before.objs();
        d.rrefs = after.rrefs() + countRefs(before, p, Obj.Claim.class);
        d.wrefs = after.wrefs() + countRefs(before, p, Obj.Window.class);
        d.last = after.last();
        return d.build();
    }

    private static int countRefs(State s, int p, Class<? extends Obj> kind) {
        int n = 0;
        for (int o = 1; o <= s.objs().size(); o++) {
            n += kind.isInstance(s.obj(o)) && !s.maps(p, o).isEmpty() ? 1 : 0;
        }
        return n;
    }
}
