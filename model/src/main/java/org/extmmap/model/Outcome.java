package org.extmmap.model;

import static org.extmmap.model.tla.TlaValue.bool;
import static org.extmmap.model.tla.TlaValue.of;
import static org.extmmap.model.tla.TlaValue.record;
import static org.extmmap.model.tla.TlaValue.str;

import java.util.Map;
import java.util.function.Function;
import org.extmmap.model.tla.TlaValue;

/**
 * The step just taken, its arguments and what it returned: the spec's {@code last}. Each record
 * has exactly the fields of the spec's record for that call, renders as that record ({@link
 * #tla}) and is read back from it ({@link #decode}). Bytes that may be "none" are ints with {@link
 * Bytes#NONE}.
 */
public sealed interface Outcome {
    Ret ret();

    /** This outcome as the spec's record. */
    TlaValue tla(TlaRendering t);

    /** The outcome a spec record states, by its {@code op}. */
    static Outcome decode(SpecRecord r) {
        Function<SpecRecord, Outcome> f = BY_OP.get(r.string("op"));
        if (f == null) {
            throw new IllegalArgumentException("unknown op in last: " + r.value());
        }
        return f.apply(r);
    }

    Map<String, Function<SpecRecord, Outcome>> BY_OP = Map.ofEntries(
            Map.entry("init", r -> new Init()),
            Map.entry("read", Read::from),
            Map.entry("write", Write::from),
            Map.entry("close", r -> new Close(r.p(), r.end())),
            Map.entry("poll", r -> new Poll(r.p(), r.record("val").bool("readable"), r.record("val").integer("nread"))),
            Map.entry("claimend", r -> new ClaimEnd(r.p(), r.integer("o"), r.ret(), r.record("val").integer("n"),
                    r.record("val").bool("final"))),
            Map.entry("mmap", Mmap::from),
            Map.entry("load", Fault::from),
            Map.entry("store", Fault::from),
            Map.entry("msync", r -> new Msync(r.p(), r.integer("o"), r.integer("e"), r.bool("sigpipe"), r.ret())),
            Map.entry("munmap", r -> new Munmap(r.p(), r.integer("o"), r.integer("a"), r.integer("b"), r.ret())),
            Map.entry("mremap", r -> new Mremap(r.p(), r.integer("o"), r.integer("len"), r.ret())),
            Map.entry("mprotect", r -> new Mprotect(r.p(), r.integer("o"), r.prot(), r.ret())),
            Map.entry("fork", r -> new Fork(r.p(), r.integer("val"))),
            Map.entry("exit", r -> new Vanish(r.p(), false)),
            Map.entry("kill", r -> new Vanish(r.p(), true)),
            Map.entry("signal", r -> new Signal(r.p(), r.ret(), r.integer("val"))));

    private static TlaValue ok() {
        return str(Ret.OK.tla());
    }

    record Init() implements Outcome {
        @Override
        public Ret ret() {
            return Ret.OK;
        }

        @Override
        public TlaValue tla(TlaRendering t) {
            return record("op", str("init"), "ret", ok(), "val", of(0));
        }
    }

    /** read(n) at stream position pos; val is what it returned. */
    record Read(int p, int n, int pos, Ret ret, Bytes val) implements Outcome {
        static Read from(SpecRecord r) {
            return new Read(r.p(), r.integer("n"), r.integer("pos"), r.ret(), r.bytes("val"));
        }

        @Override
        public TlaValue tla(TlaRendering t) {
            return record("p", of(p), "op", str("read"), "n", of(n), "pos", of(pos), "ret", str(ret.tla()),
                    "val", t.bytes(val));
        }
    }

    /** write() of data (the rest of it, for a wake-up); val counts the bytes written in all. */
    record Write(int p, Bytes data, boolean sigpipe, Ret ret, int val) implements Outcome {
        static Write from(SpecRecord r) {
            return new Write(r.p(), r.bytes("data"), r.bool("sigpipe"), r.ret(), r.integer("val"));
        }

        @Override
        public TlaValue tla(TlaRendering t) {
            return record("p", of(p), "op", str("write"), "data", t.bytes(data), "sigpipe", bool(sigpipe),
                    "ret", str(ret.tla()), "val", of(val));
        }
    }

    record Close(int p, End end) implements Outcome {
        @Override
        public Ret ret() {
            return Ret.OK;
        }

        @Override
        public TlaValue tla(TlaRendering t) {
            return record("p", of(p), "op", str("close"), "end", str(end.tla()), "ret", ok(), "val", of(0));
        }
    }

    /** poll() with FIONREAD. */
    record Poll(int p, boolean readable, int nread) implements Outcome {
        @Override
        public Ret ret() {
            return Ret.OK;
        }

        @Override
        public TlaValue tla(TlaRendering t) {
            return record("p", of(p), "op", str("poll"), "ret", ok(),
                    "val", record("readable", bool(readable), "nread", of(nread)));
        }
    }

    /** mmap(); val is the new mapping's id, or 0 on error. */
    record Mmap(int p, End end, int len, Prot prot, Flags flags, int off, Ret ret, int val) implements Outcome {
        static Mmap from(SpecRecord r) {
            return new Mmap(r.p(), r.end(), r.integer("len"), r.prot(), r.flags(), r.integer("off"), r.ret(),
                    r.integer("val"));
        }

        @Override
        public TlaValue tla(TlaRendering t) {
            return record("p", of(p), "op", str("mmap"), "end", str(end.tla()), "len", of(len),
                    "prot", str(prot.tla()), "flags", str(flags.tla()), "off", of(off),
                    "ret", str(ret.tla()), "val", of(val));
        }
    }

    /** A load or store at offset i of mapping o; v is the stored byte (NONE for loads), val the loaded one (else NONE). */
    record Fault(int p, FaultOp op, int o, int i, int v, Ret ret, int val) implements Outcome {
        static Fault from(SpecRecord r) {
            return new Fault(r.p(), r.string("op").equals("load") ? FaultOp.LOAD : FaultOp.STORE, r.integer("o"),
                    r.integer("i"), r.letter("v"), r.ret(), r.letter("val"));
        }

        @Override
        public TlaValue tla(TlaRendering t) {
            return record("p", of(p), "op", str(op.tla()), "o", of(o), "i", of(i),
                    "v", t.byteValue(v), "ret", str(ret.tla()), "val", t.byteValue(val));
        }
    }

    record Msync(int p, int o, int e, boolean sigpipe, Ret ret) implements Outcome {
        @Override
        public TlaValue tla(TlaRendering t) {
            return record("p", of(p), "op", str("msync"), "o", of(o), "e", of(e),
                    "sigpipe", bool(sigpipe), "ret", str(ret.tla()), "val", of(0));
        }
    }

    record Munmap(int p, int o, int a, int b, Ret ret) implements Outcome {
        @Override
        public TlaValue tla(TlaRendering t) {
            return record("p", of(p), "op", str("munmap"), "o", of(o), "a", of(a), "b", of(b),
                    "ret", str(ret.tla()), "val", of(0));
        }
    }

    /** The end query: n of claim o's bytes are stream bytes so far, and whether n is final. */
    record ClaimEnd(int p, int o, Ret ret, int n, boolean isFinal) implements Outcome {
        @Override
        public TlaValue tla(TlaRendering t) {
            return record("p", of(p), "op", str("claimend"), "o", of(o), "ret", str(ret.tla()),
                    "val", record("n", of(n), "final", bool(isFinal)));
        }
    }

    record Mremap(int p, int o, int len, Ret ret) implements Outcome {
        @Override
        public TlaValue tla(TlaRendering t) {
            return record("p", of(p), "op", str("mremap"), "o", of(o), "len", of(len),
                    "ret", str(ret.tla()), "val", of(0));
        }
    }

    record Mprotect(int p, int o, Prot prot, Ret ret) implements Outcome {
        @Override
        public TlaValue tla(TlaRendering t) {
            return record("p", of(p), "op", str("mprotect"), "o", of(o), "prot", str(prot.tla()),
                    "ret", str(ret.tla()), "val", of(0));
        }
    }

    /** fork() by p; child is the new process. */
    record Fork(int p, int child) implements Outcome {
        @Override
        public Ret ret() {
            return Ret.OK;
        }

        @Override
        public TlaValue tla(TlaRendering t) {
            return record("p", of(p), "op", str("fork"), "ret", ok(), "val", of(child));
        }
    }

    /** exit() (killed false) or SIGKILL (killed true) of p. */
    record Vanish(int p, boolean killed) implements Outcome {
        @Override
        public Ret ret() {
            return Ret.OK;
        }

        @Override
        public TlaValue tla(TlaRendering t) {
            return record("p", of(p), "op", str(killed ? "kill" : "exit"), "ret", ok(), "val", of(0));
        }
    }

    /** A caught signal: a blocked fault restarts; read, write and msync return EINTR or a write's count. */
    record Signal(int p, Ret ret, int val) implements Outcome {
        @Override
        public TlaValue tla(TlaRendering t) {
            return record("p", of(p), "op", str("signal"), "ret", str(ret.tla()), "val", of(val));
        }
    }
}
