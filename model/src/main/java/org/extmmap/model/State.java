package org.extmmap.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A state of the spec, with the spec's variables. Lists indexed by process hold process p at
 * index p - 1; per-process mapping lists ({@code maps}, {@code mods}) have one entry per mapping
 * made (id o at index o - 1): the spec's entries for ids not yet used are always empty.
 *
 * @param stream ghost: every byte committed so far
 * @param buf bytes committed but not yet pulled (positions u .. W-1)
 * @param slots the ring holding buf, one page per slot (Linux's pipe_buffer array)
 * @param u positions below u have been pulled out of the buffer
 * @param r the read cursor
 * @param mods MAP_PRIVATE stores: offset to byte, per process and mapping
 * @param last the step just taken and its outcome
 */
public record State(List<Life> life, List<Set<End>> fds, List<Pending> pc, Bytes stream, Bytes buf, List<Slot> slots, int u,
        int r,
        List<Obj> objs, List<List<PageSet>> maps, List<List<Map<Integer, Integer>>> mods, int rrefs, int wrefs,
        Outcome last) {

    public State {
        life = List.copyOf(life);
        fds = List.copyOf(fds);
        pc = List.copyOf(pc);
        slots = List.copyOf(slots);
        objs = List.copyOf(objs);
        maps = List.copyOf(maps);
        mods = List.copyOf(mods);
    }

    public int nProcs() {
        return life.size();
    }

    /** W: bytes committed, computed from the mechanism. */
    public int w() {
        return u + buf.length();
    }

    /** No writer reference left. */
    public boolean eof() {
        return wrefs == 0;
    }

    public boolean readers() {
        return rrefs > 0;
    }

    public Life life(int p) {
        return life.get(p - 1);
    }

    public Set<End> fds(int p) {
        return fds.get(p - 1);
    }

    public Pending pc(int p) {
        return pc.get(p - 1);
    }

    /** Mapping o (from 1). */
    public Obj obj(int o) {
        return objs.get(o - 1);
    }

    /** The pages of mapping o that process p maps. */
    public PageSet maps(int p, int o) {
        return maps.get(p - 1).get(o - 1);
    }

    public Map<Integer, Integer> mods(int p, int o) {
        return mods.get(p - 1).get(o - 1);
    }
}
