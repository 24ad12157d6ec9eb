package org.extmmap.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The next state under construction: starts as a copy of the current one (the spec's UNCHANGED),
 * and a step sets what it changes. Public fields because a step is a list of assignments, as in
 * the spec.
 */
public final class NextState {
    public List<Life> life;
    public List<Set<End>> fds;
    public List<Pending> pc;
    public Bytes stream;
    public Bytes buf;
    public List<Slot> slots;
    public int u;
    public int r;
    public List<Obj> objs;
    public List<List<PageSet>> maps;
    public List<List<Map<Integer, Integer>>> mods;
    public int rrefs;
    public int wrefs;
    public Outcome last;

    public NextState(State s) {
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

    /** The spec's {@code u' = m.u /\ buf' = m.buf /\ slots' = m.slots /\ objs' = m.objs} (Mechanism). */
    public NextState mechanism(ExtMmap.Pulled m) {
        u = m.u();
        buf = m.buf();
        slots = m.slots();
        objs = m.objs();
        return this;
    }

    public void pc(int p, Pending v) {
        pc = replace(pc, p, v);
    }

    public void fds(int p, Set<End> v) {
        fds = replace(fds, p, v);
    }

    public void maps(int p, int o, PageSet v) {
        maps = replace(maps, p, replace(maps.get(p - 1), o, v));
    }

    public void mods(int p, int o, Map<Integer, Integer> v) {
        mods = replace(mods, p, replace(mods.get(p - 1), o, v));
    }

    public State build() {
        return new State(life, fds, pc, stream, buf, slots, u, r, objs, maps, mods, rrefs, wrefs, last);
    }

    public static <T> List<T> append(List<T> list, T value) {
        List<T> out = new ArrayList<>(list.size() + 1);
        out.addAll(list);
        out.add(value);
        return out;
    }

    /** The list with element {@code oneBased} replaced. */
    public static <T> List<T> replace(List<T> list, int oneBased, T value) {
        List<T> out = new ArrayList<>(list);
        out.set(oneBased - 1, value);
        return out;
    }
}
