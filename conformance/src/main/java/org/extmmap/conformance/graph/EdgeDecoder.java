package org.extmmap.conformance.graph;

import java.util.Arrays;
import org.extmmap.model.Action;
import org.extmmap.model.Bytes;
import org.extmmap.model.End;
import org.extmmap.model.FaultOp;
import org.extmmap.model.Flags;
import org.extmmap.model.MmapTry;
import org.extmmap.model.Outcome;
import org.extmmap.model.Prot;
import org.extmmap.model.Ret;
import org.extmmap.model.tla.BoolValue;
import org.extmmap.model.tla.IntValue;
import org.extmmap.model.tla.RecordValue;
import org.extmmap.model.tla.SeqValue;
import org.extmmap.model.tla.StringValue;
import org.extmmap.model.tla.TlaValue;

/**
 * Reads a test step off an edge of TLC's graph: the edge label names the spec's action, and the
 * target state's {@code last} record holds the call's arguments and its outcome. Only the spec's
 * own record is read, never the Java model, so a test's expectation comes from the spec.
 */
public final class EdgeDecoder {
    private EdgeDecoder() {
    }

    public static SpecStep decode(String label, TlaValue last) {
        RecordValue r = (RecordValue) last;
        return new SpecStep(action(label, r), outcome(r));
    }

    static Action action(String label, RecordValue r) {
        int p = integer(r, "p");
        return switch (label) {
            case "Wake" -> new Action.Wake(p);
            case "Read" -> new Action.Read(p, integer(r, "n"));
            case "Write" -> new Action.Write(p, bytes(r.get("data")));
            case "Close" -> new Action.Close(p, end(r));
            case "Poll" -> new Action.Poll(p);
            case "Mmap" -> new Action.Mmap(p, new MmapTry(end(r), prot(r), flags(r), integer(r, "len"),
                    integer(r, "off"), ret(r)));
            case "Load" -> new Action.Load(p, integer(r, "o"), integer(r, "i"));
            case "StorePrivate" -> new Action.StorePrivate(p, integer(r, "o"), integer(r, "i"), letter(r, "v"));
            case "StoreWindow" -> new Action.StoreWindow(p, integer(r, "o"), integer(r, "i"), letter(r, "v"));
            case "Msync" -> new Action.Msync(p, integer(r, "o"), integer(r, "e"));
            case "Munmap" -> new Action.Munmap(p, integer(r, "o"), integer(r, "a"), integer(r, "b"));
            case "MremapGrow" -> new Action.MremapGrow(p, integer(r, "o"));
            case "MprotectRefused" -> new Action.MprotectRefused(p, integer(r, "o"), prot(r));
            case "Fork" -> new Action.Fork(p);
            case "Exit" -> new Action.Exit(p);
            case "Signal" -> new Action.Signal(p);
            case "Kill" -> new Action.Kill(p);
            default -> throw new IllegalArgumentException("edge label " + label + " is no action of the spec");
        };
    }

    static Outcome outcome(RecordValue r) {
        String op = string(r, "op");
        if (op.equals("init")) {
            return new Outcome.Init();
        }
        int p = integer(r, "p");
        return switch (op) {
            case "read" -> new Outcome.Read(p, integer(r, "n"), integer(r, "pos"), ret(r), bytes(r.get("val")));
            case "write" -> new Outcome.Write(p, bytes(r.get("data")), bool(r, "sigpipe"), ret(r), integer(r, "val"));
            case "close" -> new Outcome.Close(p, end(r));
            case "poll" -> {
                RecordValue v = (RecordValue) r.get("val");
                yield new Outcome.Poll(p, bool(v, "readable"), integer(v, "nread"));
            }
            case "mmap" -> new Outcome.Mmap(p, end(r), integer(r, "len"), prot(r), flags(r), integer(r, "off"), ret(r),
                    integer(r, "val"));
            case "load", "store" -> new Outcome.Fault(p, op.equals("load") ? FaultOp.LOAD : FaultOp.STORE,
                    integer(r, "o"), integer(r, "i"), letter(r, "v"), ret(r), letter(r, "val"));
            case "msync" -> new Outcome.Msync(p, integer(r, "o"), integer(r, "e"), bool(r, "sigpipe"), ret(r));
            case "munmap" -> new Outcome.Munmap(p, integer(r, "o"), integer(r, "a"), integer(r, "b"), ret(r));
            case "mremap" -> new Outcome.Mremap(p, integer(r, "o"), integer(r, "len"), ret(r));
            case "mprotect" -> new Outcome.Mprotect(p, integer(r, "o"), prot(r), ret(r));
            case "fork" -> new Outcome.Fork(p, integer(r, "val"));
            case "exit", "kill" -> new Outcome.Vanish(p, op.equals("kill"));
            case "signal" -> new Outcome.Signal(p, ret(r), integer(r, "val"));
            default -> throw new IllegalArgumentException("unknown op in last: " + r);
        };
    }

    private static int integer(RecordValue r, String field) {
        return Math.toIntExact(((IntValue) r.get(field)).value());
    }

    private static String string(RecordValue r, String field) {
        return ((StringValue) r.get(field)).value();
    }

    private static boolean bool(RecordValue r, String field) {
        return ((BoolValue) r.get(field)).value();
    }

    /** A byte as the spec writes it: "0" zero, "-" none, else a one-letter string. */
    static int letter(TlaValue v) {
        String s = ((StringValue) v).value();
        if (s.equals("0")) {
            return Bytes.ZERO;
        } else if (s.equals("-")) {
            return Bytes.NONE;
        } else if (s.length() == 1) {
            return s.charAt(0);
        }
        throw new IllegalArgumentException("not a byte of the spec: " + v);
    }

    private static int letter(RecordValue r, String field) {
        return letter(r.get(field));
    }

    static Bytes bytes(TlaValue v) {
        SeqValue s = (SeqValue) v;
        byte[] b = new byte[s.size()];
        for (int i = 0; i < b.length; i++) {
            int x = letter(s.get(i + 1));
            if (x == Bytes.NONE) {
                throw new IllegalArgumentException("no byte in a byte sequence: " + v);
            }
            b[i] = (byte) x;
        }
        return Bytes.of(b);
    }

    private static Ret ret(RecordValue r) {
        String s = string(r, "ret");
        return Arrays.stream(Ret.values()).filter(x -> x.tla().equals(s)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown ret " + s));
    }

    private static End end(RecordValue r) {
        return string(r, "end").equals("r") ? End.R : End.W;
    }

    private static Prot prot(RecordValue r) {
        String s = string(r, "prot");
        return Arrays.stream(Prot.values()).filter(x -> x.tla().equals(s)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown prot " + s));
    }

    private static Flags flags(RecordValue r) {
        return string(r, "flags").equals("shared") ? Flags.SHARED : Flags.PRIVATE;
    }
}
