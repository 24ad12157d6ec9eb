package org.extmmap.conformance.history;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.extmmap.model.Action;
import org.extmmap.model.End;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.Flags;
import org.extmmap.model.MmapTry;
import org.extmmap.model.Outcome;
import org.extmmap.model.Pending;
import org.extmmap.model.Prot;
import org.extmmap.model.Ret;
import org.extmmap.model.State;
import org.extmmap.model.Bytes;

/**
 * A history's call as the spec's action, and the spec's outcome as a history's result words: the
 * one place that reads the call table of conformance/histories.md. Loads and stores of a run of
 * bytes are several spec steps (one per byte); {@link #byteAction} gives each.
 */
final class SpecCalls {
    private SpecCalls() {
    }

    /** Resolves a mapping handle to the spec's mapping id, or 0 when it is not bound. */
    interface Handles {
        int obj(String handle);
    }

    /**
     * The action that starts {@code c} for spec process p, or null for a call that is not one
     * action (fork's child, kill and exit are handled by the checker; unknown calls fail).
     */
    static Action start(ExtMmap m, History.Call c, int p, Handles h) {
        return switch (c.op()) {
            case "read" -> new Action.Read(p, c.intArg(0));
            case "write" -> new Action.Write(p, HistoryBytes.run(Long.parseUnsignedLong(c.arg(1)), c.intArg(0)));
            case "close" -> new Action.Close(p, end(c.arg(0)));
            case "poll", "fionread" -> new Action.Poll(p); // the spec's Poll answers both
            case "claimend" -> new Action.ClaimEnd(p, h.obj(c.arg(0)));
            case "mmap" -> new Action.Mmap(p, mmapTry(m, c));
            case "load", "store", "pstore" -> byteAction(c, p, h.obj(c.arg(0)), 0);
            case "msync" -> new Action.Msync(p, h.obj(c.arg(0)), c.intArg(1));
            case "munmap" -> new Action.Munmap(p, h.obj(c.arg(0)), c.intArg(1), c.intArg(2));
            case "mprotect" -> new Action.MprotectRefused(p, h.obj(c.arg(0)), prot(c.arg(1)));
            case "mremap" -> new Action.MremapGrow(p, h.obj(c.arg(0)));
            case "fork" -> new Action.Fork(p);
            case "exit" -> new Action.Exit(p);
            default -> throw new IllegalArgumentException("a call the spec has no action for: " + c);
        };
    }

    /** Does the call's first argument name a mapping (a handle mP.N)? */
    static boolean takesHandle(History.Call c) {
        return switch (c.op()) {
            case "claimend", "load", "store", "pstore", "msync", "munmap", "mprotect", "mremap" -> true;
            default -> false;
        };
    }

    /** Bytes a load or store call touches. */
    static int runLength(History.Call c) {
        return c.intArg(2);
    }

    /** Where the rest of a run leaves the spec: its state and the run's bytes, or why it stopped. */
    record Run(State after, Bytes bytes, String failure) {
    }

    /**
     * The rest of a load or store run whose first byte's step led to {@code st}: the page is
     * there now, so each further byte is one more step at once, done and OK.
     */
    static Run restOfRun(BiFunction<State, Action, Optional<State>> take, State st, History.Call c, int p, int o) {
        byte[] got = new byte[runLength(c)];
        got[0] = (byte) ((Outcome.Fault) st.last()).val();
        for (int k = 1; k < got.length; k++) {
            Optional<State> more = take.apply(st, byteAction(c, p, o, k));
            if (more.isEmpty() || !(more.get().pc(p) instanceof Pending.Idle) || more.get().last().ret() != Ret.OK) {
                return new Run(st, null, "byte " + k + " of the run is not one more step of the spec: "
                        + more.map(State::last).map(Object::toString).orElse("not enabled"));
            }
            st = more.get();
            got[k] = (byte) ((Outcome.Fault) st.last()).val();
        }
        return new Run(st, Bytes.of(got), null);
    }

    /** The spec step for byte k of a load or store run. */
    static Action byteAction(History.Call c, int p, int o, int k) {
        int i = c.intArg(1) + k;
        return switch (c.op()) {
            case "load" -> new Action.Load(p, o, i);
            case "store" -> new Action.StoreWindow(p, o, i, HistoryBytes.pattern(Long.parseUnsignedLong(c.arg(3)), k));
            case "pstore" -> new Action.StorePrivate(p, o, i, HistoryBytes.pattern(Long.parseUnsignedLong(c.arg(3)), k));
            default -> throw new IllegalArgumentException(c.op());
        };
    }

    /**
     * The result words the spec's completing outcome stands for, in the history's syntax (mmap: the
     * handle is left out, it names the mapping and is bound, not compared). {@code loaded}: the
     * bytes of a load run; its digest is the result.
     */
    static String result(History.Call c, Outcome last, org.extmmap.model.Bytes loaded) {
        if (last instanceof Outcome.Signal sg) {
            return sg.ret() == Ret.OK ? "ok " + sg.val() : "err " + sg.ret().tla();
        }
        if (last.ret() == Ret.SIGBUS) {
            return "sigbus";
        }
        if (last.ret() != Ret.OK) {
            return "err " + last.ret().tla();
        }
        if (last instanceof Outcome.Read r) {
            return "ok " + r.val().length() + " " + bytesWord(c, r.val());
        } else if (last instanceof Outcome.Write w) {
            return "ok " + w.val();
        } else if (last instanceof Outcome.Poll q) {
            return "ok " + (c.op().equals("poll") ? (q.readable() ? 1 : 0) : q.nread());
        } else if (last instanceof Outcome.ClaimEnd e) {
            return "ok " + e.n() + " " + (e.isFinal() ? 1 : 0);
        } else if (last instanceof Outcome.Fault && c.op().equals("load")) {
            return "ok " + bytesWord(c, loaded);
        }
        return "ok";
    }

    /** Bytes as the history records them: a digest, or (--small) x and the bytes in hex. */
    static String bytesWord(History.Call c, org.extmmap.model.Bytes b) {
        List<String> r = c.result();
        if (!r.isEmpty() && r.get(r.size() - 1).startsWith("x")) {
            StringBuilder x = new StringBuilder("x");
            for (int i = 0; i < b.length(); i++) {
                x.append(String.format("%02x", b.at(i)));
            }
            return x.toString();
        }
        return HistoryBytes.digest(b);
    }

    /** The recorded result in the same terms: mmap's and fork's names dropped (they are bound). */
    static String recorded(History.Call c) {
        List<String> r = c.result();
        if ((c.op().equals("mmap") || c.op().equals("fork")) && r.size() == 2 && r.get(0).equals("ok")) {
            return "ok";
        }
        return String.join(" ", r);
    }

    /** Whether the spec raised SIGPIPE in the completing outcome. */
    static boolean sigpipe(Outcome last) {
        return last instanceof Outcome.Write w && w.sigpipe() || last instanceof Outcome.Msync y && y.sigpipe();
    }

    static MmapTry mmapTry(ExtMmap m, History.Call c) {
        End e = end(c.arg(0));
        int len = c.intArg(1);
        Prot prot = prot(c.arg(2));
        Flags fl = c.arg(3).equals("shared") ? Flags.SHARED : Flags.PRIVATE;
        int off = c.intArg(4);
        for (MmapTry t : MmapTry.VALID_KINDS) {
            if (t.end() == e && t.prot() == prot && t.flags() == fl && len >= 1 && off == 0) {
                return new MmapTry(e, prot, fl, len, 0, Ret.OK);
            }
        }
        for (MmapTry t : m.tries()) {
            if (!t.valid() && t.end() == e && t.prot() == prot && t.flags() == fl && t.len() == len && t.off() == off) {
                return t;
            }
        }
        throw new IllegalArgumentException("an mmap() the spec does not try: " + c);
    }

    static End end(String s) {
        return s.equals("r") ? End.R : End.W;
    }

    static Prot prot(String s) {
        for (Prot p : Prot.values()) {
            if (p.tla().equals(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown protection " + s);
    }
}
