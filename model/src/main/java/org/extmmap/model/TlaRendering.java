package org.extmmap.model;

import static org.extmmap.model.tla.TlaValue.bool;
import static org.extmmap.model.tla.TlaValue.of;
import static org.extmmap.model.tla.TlaValue.record;
import static org.extmmap.model.tla.TlaValue.seq;
import static org.extmmap.model.tla.TlaValue.str;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.extmmap.model.tla.SetValue;
import org.extmmap.model.tla.TlaValue;

/**
 * A model state as TLC prints the spec's variables: the same names, records with exactly the
 * spec's fields, functions over 1..n as sequences, {@code maps} and {@code mods} over every id in
 * 1..MaxObjs. Bytes become the spec's strings here only: "0" for the zero byte, "-" for none, a
 * letter for its character code.
 */
public final class TlaRendering {
    private static final TlaValue IDLE = record("op", str("none"));
    private static final TlaValue GONE = record("kind", str("gone"));

    private final Config cfg;
    // every byte value's string, "-" for NONE at index 256
    private final TlaValue[] byteStrings = new TlaValue[257];

    // Rendered values by model value, per variable, when memoizing: states that share a model
    // value then share one rendered instance, so comparing them in hash maps stops at identity.
    private final List<Map<Object, TlaValue>> memo;

    /** A renderer without memory, for rendering now and then. */
    public TlaRendering(Config cfg) {
        this(cfg, false);
    }

    /**
     * @param memoize remember every rendered value (for exploring whole graphs: faster, and equal
     *     values become one instance; memory grows with the distinct values seen)
     */
    public TlaRendering(Config cfg, boolean memoize) {
        this.cfg = cfg;
        this.memo = new ArrayList<>();
        for (int i = 0; i < (memoize ? VARIABLES : 0); i++) {
            memo.add(new HashMap<>());
        }
        for (int v = 0; v < 256; v++) {
            byteStrings[v] = str(v == Bytes.ZERO ? "0" : Character.toString(v));
        }
        byteStrings[256] = str("-");
    }

    private static final int VARIABLES = 9;

    private <K> TlaValue memoized(int variable, K key, java.util.function.Function<K, TlaValue> render) {
        if (memo.isEmpty()) {
            return render.apply(key);
        }
        return memo.get(variable).computeIfAbsent(key, k -> render.apply(key));
    }

    public Map<String, TlaValue> render(State s) {
        Map<String, TlaValue> vars = new HashMap<>();
        vars.put("life", memoized(0, s.life(), l -> seq(l.stream().map(x -> (TlaValue) str(x.tla())).toList())));
        vars.put("fds", memoized(1, s.fds(), f -> seq(f.stream()
                .map(e -> (TlaValue) TlaValue.set(e.stream().map(x -> str(x.tla())).toList())).toList())));
        vars.put("pc", memoized(2, s.pc(), p -> seq(p.stream().map(this::pending).toList())));
        vars.put("stream", memoized(3, s.stream(), this::bytes));
        vars.put("buf", memoized(4, s.buf(), this::bytes));
        vars.put("slots", seq(s.slots().stream().map(x -> record("fill", of(x.fill()), "len", of(x.len()))).toList()));
        vars.put("u", of(s.u()));
        vars.put("r", of(s.r()));
        vars.put("objs", memoized(5, s.objs(), o -> seq(o.stream().map(this::obj).toList())));
        vars.put("maps", memoized(6, s.maps(), this::maps));
        vars.put("mods", memoized(7, s.mods(), this::mods));
        vars.put("rrefs", of(s.rrefs()));
        vars.put("wrefs", of(s.wrefs()));
        vars.put("last", memoized(8, s.last(), o -> o.tla(this)));
        return vars;
    }

    private TlaValue maps(List<List<PageSet>> maps) {
        List<TlaValue> out = new ArrayList<>();
        for (List<PageSet> mine : maps) {
            List<TlaValue> pm = new ArrayList<>();
            for (int o = 1; o <= cfg.maxObjs(); o++) {
                pm.add(o <= mine.size()
                        ? TlaValue.set(mine.get(o - 1).stream().mapToObj(k -> (TlaValue) of(k)).toList())
                        : SetValue.EMPTY);
            }
            out.add(seq(pm));
        }
        return seq(out);
    }

    private TlaValue mods(List<List<Map<Integer, Integer>>> mods) {
        List<TlaValue> out = new ArrayList<>();
        for (List<Map<Integer, Integer>> mine : mods) {
            List<TlaValue> pd = new ArrayList<>();
            for (int o = 1; o <= cfg.maxObjs(); o++) {
                pd.add(o <= mine.size() ? modSet(mine.get(o - 1)) : SetValue.EMPTY);
            }
            out.add(seq(pd));
        }
        return seq(out);
    }

    /** A byte as the spec's string. */
    public TlaValue byteValue(int v) {
        return byteStrings[v == Bytes.NONE ? 256 : v];
    }

    public TlaValue bytes(Bytes b) {
        List<TlaValue> out = new ArrayList<>(b.length());
        for (int i = 0; i < b.length(); i++) {
            out.add(byteValue(b.at(i)));
        }
        return seq(out);
    }

    private TlaValue store(ClaimStore g) {
        List<TlaValue> out = new ArrayList<>(g.length());
        for (int i = 0; i < g.length(); i++) {
            out.add(byteValue(g.at(i)));
        }
        return seq(out);
    }

    private TlaValue modSet(Map<Integer, Integer> m) {
        List<TlaValue> pairs = new ArrayList<>();
        m.forEach((i, v) -> pairs.add(seq(of(i), byteValue(v))));
        return TlaValue.set(pairs);
    }

    private TlaValue pending(Pending p) {
        if (p instanceof Pending.Reading x) {
            return record("op", str("read"), "n", of(x.n()));
        } else if (p instanceof Pending.Writing x) {
            return record("op", str("write"), "data", bytes(x.data()), "done", of(x.done()));
        } else if (p instanceof Pending.Faulting x) {
            return record("op", str(x.op().tla()), "o", of(x.o()), "i", of(x.i()), "v", byteValue(x.v()));
        } else if (p instanceof Pending.Syncing x) {
            return record("op", str("msync"), "o", of(x.o()), "e", of(x.e()));
        }
        return IDLE;
    }

    private TlaValue obj(Obj ob) {
        if (ob instanceof Obj.Claim c) {
            return record("kind", str("claim"), "base", of(c.base()), "len", of(c.len()), "shared", bool(c.shared()),
                    "rw", bool(c.rw()), "got", store(c.got()));
        } else if (ob instanceof Obj.Window w) {
            return record("kind", str("window"), "len", of(w.len()), "data", bytes(w.data()), "c", of(w.c()));
        }
        return GONE;
    }

}
