package org.extmmap.conformance.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.extmmap.model.Bytes;
import org.extmmap.model.Config;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.MmapTry;
import org.extmmap.model.Ret;
import org.extmmap.model.tla.Tlc;
import org.extmmap.model.tla.TlcResult;
import org.extmmap.model.tla.TlcViolation;

/**
 * A history as a TLA+ module for spec/ExtMmapTrace.tla (its calls as records, the constants in a
 * configuration) and TLC's verdict on it: explained when TLC reaches a state where every
 * completed call is done (a violation of NotDone), rejected when it exhausts the constrained
 * behaviours without one. Needs the bytes of every read and load (the workload's --small mode
 * records them in hex): TLC cannot compute a digest.
 */
public final class TraceModule {
    /** TLC's answer and what it cost. */
    public record Verdict(boolean accepted, long distinctStates, Duration elapsed, Path module) {
    }

    private TraceModule() {
    }

    /**
     * Whether TLC can check h: every read and load result carries its bytes, and no run of loads
     * or stores is longer than a few bytes (each byte is a TLC state, and each state holds the
     * mappings' pages at their real size: --small histories).
     */
    public static boolean checkable(History h) {
        for (History.Call c : h.allCalls()) {
            if (c.op().matches("load|store|pstore") && c.intArg(2) > 8) {
                return false;
            }
            if (!c.pending() && (c.op().equals("read") || c.op().equals("load")) && c.result().get(0).equals("ok")
                    && !c.result().get(c.result().size() - 1).startsWith("x")) {
                return false;
            }
        }
        return true;
    }

    /** Writes the module and configuration for h into dir (with the spec's modules) and runs TLC. */
    public static Verdict check(History h, Path specDir, Path dir, Duration timeout) {
        if (!checkable(h)) {
            throw new IllegalArgumentException(h.name() + ": a read or load result is a digest; TLC needs the bytes "
                    + "(record the history with extmmap-workload --small)");
        }
        try {
            Files.createDirectories(dir);
            for (String m : List.of("ExtMmap.tla", "ExtMmapTrace.tla")) {
                Files.copy(specDir.resolve(m), dir.resolve(m), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            String name = "Trace_" + h.name().replaceAll("[^A-Za-z0-9]", "_");
            Path module = dir.resolve(name + ".tla");
            Path cfg = dir.resolve(name + ".cfg");
            Files.writeString(module, module(name, h));
            Files.writeString(cfg, config(h));
            TlcResult r = Tlc.of(module, cfg).withWorkers(2).withDeadlockCheck(false).withTimeout(timeout)
                    .withWorkDir(dir.resolve(name + ".work")).run();
            if (r.violation().isPresent() && r.violation().get().kind() == TlcViolation.Kind.INVARIANT
                    && "NotDone".equals(r.violation().get().name())) {
                return new Verdict(true, r.distinctStates(), r.elapsed(), module);
            }
            if (r.ok()) {
                return new Verdict(false, r.distinctStates(), r.elapsed(), module);
            }
            throw new IllegalStateException("TLC did not finish its check of " + module + " (exit " + r.exitCode()
                    + (r.timedOut() ? ", timed out" : "") + ", " + r.violation().map(Object::toString).orElse("")
                    + "):\n" + r.output());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String module(String name, History h) {
        ExtMmap m = new ExtMmap(HistoryChecker.configFor(h));
        StringBuilder b = new StringBuilder("---- MODULE " + name + " ----\n");
        b.append("\\* ").append(h.name()).append(": written by conformance's TraceModule\n");
        b.append("EXTENDS ExtMmapTrace\n\nCallsDef ==\n");
        List<String> procs = new ArrayList<>();
        for (Map.Entry<Integer, List<History.Call>> e : h.calls().entrySet()) {
            List<String> calls = new ArrayList<>();
            for (History.Call c : e.getValue()) {
                calls.add(record(m, c));
            }
            procs.add("    (" + e.getKey() + " :> <<" + String.join(",\n        ", calls) + ">>)");
        }
        b.append(String.join(" @@\n", procs)).append("\n====\n");
        return b.toString();
    }

    static String config(History h) {
        Config c = HistoryChecker.configFor(h);
        TreeSet<String> alpha = new TreeSet<>();
        TreeSet<String> handles = new TreeSet<>();
        long last = 0;
        for (History.Call x : h.allCalls()) {
            last = Math.max(last, x.pending() ? x.invoked() : x.completed());
            if (x.op().equals("write")) {
                letters(HistoryBytes.run(Long.parseUnsignedLong(x.arg(1)), x.intArg(0)), alpha);
            } else if (x.op().equals("store") || x.op().equals("pstore")) {
                letters(HistoryBytes.run(Long.parseUnsignedLong(x.arg(3)), x.intArg(2)), alpha);
            }
            if (x.op().equals("mmap") && !x.pending() && x.result().get(0).equals("ok")) {
                handles.add(x.result().get(1));
            }
        }
        if (alpha.isEmpty()) {
            alpha.add("b1");
        }
        if (handles.isEmpty()) {
            handles.add("none");
        }
        int maxW = 0;
        for (History.Call x : h.allCalls()) {
            if (x.op().equals("write")) {
                maxW += x.intArg(0);
            } else if (x.op().equals("msync")) {
                maxW += x.intArg(1);
            }
        }
        return "\\* " + h.name() + ": written by conformance's TraceModule\nCONSTANTS\n"
                + "    NProcs = " + c.nProcs() + "\n    P = " + c.p() + "\n    C = " + c.c() + "\n    MaxLen = "
                + c.maxLen() + "\n    MaxIO = " + c.maxIO() + "\n    MaxW = " + Math.max(1, maxW) + "\n    MaxObjs = "
                + c.maxObjs() + "\n    Alpha = " + set(alpha) + "\n    Ops = " + set(new TreeSet<>(Config.ALL_OPS))
                + "\n    WakeAtOnce = FALSE\n    HProcs = {" + String.join(", ",
                        h.calls().keySet().stream().map(String::valueOf).toList()) + "}\n    Handles = " + set(handles)
                + "\n    HPending = " + (last + 1) + "\n    HCalls <- CallsDef\n"
                + "INIT TraceInit\nNEXT TraceNext\nINVARIANT NotDone\nCHECK_DEADLOCK FALSE\n";
    }

    private static String set(java.util.Collection<String> s) {
        return "{" + String.join(", ", s.stream().map(x -> "\"" + x + "\"").toList()) + "}";
    }

    private static void letters(Bytes b, java.util.Set<String> out) {
        for (int i = 0; i < b.length(); i++) {
            out.add(letter(b.at(i)));
        }
    }

    /** A byte as the spec's letter: zero is the spec's Zero, "0". */
    static String letter(int v) {
        return v == 0 ? "0" : "b" + v;
    }

    private static String seq(Bytes b) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < b.length(); i++) {
            l.add("\"" + letter(b.at(i)) + "\"");
        }
        return "<<" + String.join(", ", l) + ">>";
    }

    static Bytes hex(String word) {
        String x = word.substring(1);
        byte[] out = new byte[x.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(x.substring(2 * i, 2 * i + 2), 16);
        }
        return Bytes.of(out);
    }

    /** The want record: ret and a sequence, as ExtMmapTrace's Got makes them. */
    static String want(History.Call c) {
        if (c.pending()) {
            return "[ret |-> \"pending\", val |-> <<>>]";
        }
        List<String> r = c.result();
        if (r.get(0).equals("err")) {
            return "[ret |-> \"" + r.get(1) + "\", val |-> <<>>]";
        }
        if (r.get(0).equals("sigbus")) {
            return "[ret |-> \"SIGBUS\", val |-> <<>>]";
        }
        String val = switch (c.op()) {
            case "read" -> seq(hex(r.get(2)));
            case "load" -> seq(hex(r.get(1)));
            case "write", "poll", "fionread" -> "<<" + r.get(1) + ">>";
            case "claimend" -> "<<" + r.get(1) + ", " + r.get(2) + ">>";
            default -> "<<>>";
        };
        return "[ret |-> \"ok\", val |-> " + val + "]";
    }

    static String record(ExtMmap m, History.Call c) {
        String handle = "\"\"";
        String n = "0";
        String data = "<<>>";
        String end = "\"r\"";
        String tryRec = "[end |-> \"r\"]";
        String off = "0";
        String run = "<<>>";
        String e = "0";
        String a = "0";
        String bb = "0";
        String prot = "\"r\"";
        String bind = "\"\"";
        if (SpecCalls.takesHandle(c)) {
            handle = "\"" + c.arg(0) + "\"";
        }
        switch (c.op()) {
            case "read" -> n = c.arg(0);
            case "write" -> {
                n = c.arg(0);
                data = seq(HistoryBytes.run(Long.parseUnsignedLong(c.arg(1)), c.intArg(0)));
            }
            case "close" -> end = "\"" + c.arg(0) + "\"";
            case "mmap" -> {
                MmapTry t = SpecCalls.mmapTry(m, c);
                tryRec = "[end |-> \"" + t.end().tla() + "\", prot |-> \"" + t.prot().tla() + "\", flags |-> \""
                        + t.flags().tla() + "\", len |-> " + t.len() + ", off |-> " + t.off() + ", err |-> \""
                        + (t.err() == Ret.OK ? "none" : t.err().tla()) + "\"]";
                if (!c.pending() && c.result().get(0).equals("ok")) {
                    bind = "\"" + c.result().get(1) + "\"";
                }
            }
            case "load", "store", "pstore" -> {
                off = c.arg(1);
                n = c.arg(2);
                if (!c.op().equals("load")) {
                    run = seq(HistoryBytes.run(Long.parseUnsignedLong(c.arg(3)), c.intArg(2)));
                }
            }
            case "msync" -> e = c.arg(1);
            case "munmap" -> {
                a = c.arg(1);
                bb = c.arg(2);
            }
            case "mprotect" -> prot = "\"" + c.arg(1) + "\"";
            case "fork" -> {
                if (!c.pending()) {
                    bind = c.result().get(1);
                }
            }
            default -> {
            }
        }
        return "[op |-> \"" + c.op() + "\", inv |-> " + c.invoked() + ", ret |-> "
                + (c.pending() ? "HPending" : Long.toString(c.completed())) + ", pending |-> " + (c.pending() ? "TRUE"
                        : "FALSE") + ", sig |-> " + c.signals() + ", sigpipe |-> " + (c.sigpipes() > 0 ? "TRUE" : "FALSE")
                + ", want |-> " + want(c) + ", handle |-> " + handle + ", n |-> " + n + ", data |-> " + data
                + ", end |-> " + end + ", try |-> " + tryRec + ", off |-> " + off + ", run |-> " + run + ", e |-> " + e
                + ", a |-> " + a + ", b |-> " + bb + ", prot |-> " + prot + ", bind |-> " + bind + "]";
    }
}
