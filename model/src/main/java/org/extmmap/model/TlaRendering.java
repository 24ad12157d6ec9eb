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

    public TlaRendering(Config cfg) {
        this.cfg = cfg;
        for (int v = 0; v < 256; v++) {
            byteStrings[v] = str(v == Bytes.ZERO ? "0" : Character.toString(v));
        }
        byteStrings[256] = str("-");
    }

    public Map<String, TlaValue> render(State s) {
        Map<String, TlaValue> vars = new HashMap<>();
        List<TlaValue> life = new ArrayList<>();
        List<TlaValue> fds = new ArrayList<>();
        List<TlaValue> pc = new ArrayList<>();
        List<TlaValue> maps = new ArrayList<>();
        List<TlaValue> mods = new ArrayList<>();
        for (int p = 1; p <= s.nProcs(); p++) {
            life.add(str(s.life(p).tla()));
            fds.add(TlaValue.set(s.fds(p).stream().map(e -> str(e.tla())).toList()));
            pc.add(pending(s.pc(p)));
            List<TlaValue> pm = new ArrayList<>();
            List<TlaValue> pd = new ArrayList<>();
            for (int o = 1; o <= cfg.maxObjs(); o++) {
                boolean made = o <= s.objs().size();
                pm.add(made ? TlaValue.set(s.maps(p, o).stream().mapToObj(k -> (TlaValue) of(k)).toList())
                        : SetValue.EMPTY);
                pd.add(made ? mods(s.mods(p, o)) : SetValue.EMPTY);
            }
            maps.add(seq(pm));
            mods.add(seq(pd));
        }
        vars.put("life", seq(life));
        vars.put("fds", seq(fds));
        vars.put("pc", seq(pc));
        vars.put("stream", bytes(s.stream()));
        vars.put("buf", bytes(s.buf()));
        vars.put("u", of(s.u()));
        vars.put("r", of(s.r()));
        vars.put("objs", seq(s.objs().stream().map(this::obj).toList()));
        vars.put("maps", seq(maps));
        vars.put("mods", seq(mods));
        vars.put("rrefs", of(s.rrefs()));
        vars.put("wrefs", of(s.wrefs()));
        vars.put("last", outcome(s.last()));
        return vars;
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

    private TlaValue mods(Map<Integer, Integer> m) {
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

    private TlaValue outcome(Outcome last) {
        TlaValue ok = str(Ret.OK.tla());
        if (last instanceof Outcome.Init) {
            return record("op", str("init"), "ret", ok, "val", of(0));
        } else if (last instanceof Outcome.Read x) {
            return record("p", of(x.p()), "op", str("read"), "n", of(x.n()), "pos", of(x.pos()), "ret", ret(x.ret()),
                    "val", bytes(x.val()));
        } else if (last instanceof Outcome.Write x) {
            return record("p", of(x.p()), "op", str("write"), "data", bytes(x.data()), "sigpipe", bool(x.sigpipe()),
                    "ret", ret(x.ret()), "val", of(x.val()));
        } else if (last instanceof Outcome.Close x) {
            return record("p", of(x.p()), "op", str("close"), "end", str(x.end().tla()), "ret", ok, "val", of(0));
        } else if (last instanceof Outcome.Poll x) {
            return record("p", of(x.p()), "op", str("poll"), "ret", ok,
                    "val", record("readable", bool(x.readable()), "nread", of(x.nread())));
        } else if (last instanceof Outcome.Mmap x) {
            return record("p", of(x.p()), "op", str("mmap"), "end", str(x.end().tla()), "len", of(x.len()),
                    "prot", str(x.prot().tla()), "flags", str(x.flags().tla()), "off", of(x.off()),
                    "ret", ret(x.ret()), "val", of(x.val()));
        } else if (last instanceof Outcome.Fault x) {
            return record("p", of(x.p()), "op", str(x.op().tla()), "o", of(x.o()), "i", of(x.i()),
                    "v", byteValue(x.v()), "ret", ret(x.ret()), "val", byteValue(x.val()));
        } else if (last instanceof Outcome.Msync x) {
            return record("p", of(x.p()), "op", str("msync"), "o", of(x.o()), "e", of(x.e()),
                    "sigpipe", bool(x.sigpipe()), "ret", ret(x.ret()), "val", of(0));
        } else if (last instanceof Outcome.Munmap x) {
            return record("p", of(x.p()), "op", str("munmap"), "o", of(x.o()), "a", of(x.a()), "b", of(x.b()),
                    "ret", ret(x.ret()), "val", of(0));
        } else if (last instanceof Outcome.Mremap x) {
            return record("p", of(x.p()), "op", str("mremap"), "o", of(x.o()), "len", of(x.len()),
                    "ret", ret(x.ret()), "val", of(0));
        } else if (last instanceof Outcome.Mprotect x) {
            return record("p", of(x.p()), "op", str("mprotect"), "o", of(x.o()), "prot", str(x.prot().tla()),
                    "ret", ret(x.ret()), "val", of(0));
        } else if (last instanceof Outcome.Fork x) {
            return record("p", of(x.p()), "op", str("fork"), "ret", ok, "val", of(x.child()));
        } else if (last instanceof Outcome.Vanish x) {
            return record("p", of(x.p()), "op", str(x.killed() ? "kill" : "exit"), "ret", ok, "val", of(0));
        } else if (last instanceof Outcome.Signal x) {
            return record("p", of(x.p()), "op", str("signal"), "ret", ret(x.ret()), "val", of(x.val()));
        }
        throw new IllegalArgumentException("unknown outcome " + last);
    }

    private static TlaValue ret(Ret r) {
        return str(r.tla());
    }
}
