package org.extmmap.conformance.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.extmmap.model.Action;
import org.extmmap.model.Bytes;
import org.extmmap.model.Outcome;
import org.extmmap.model.Prot;
import org.extmmap.model.Ret;

/**
 * A C reproducer being written: its body and what the program's process 1 has done so far (the
 * same data refinement as the suite, a simpler byte pattern: see repro-runtime.c). Each
 * KernelCall writes its own step into it.
 */
public final class CProgram {
    /** Real bytes per abstract byte. */
    public final long run;
    final StringBuilder body = new StringBuilder();
    /** Stream position -> pattern key. */
    public final List<Long> book = new ArrayList<>();
    /** Window letters, by mapping id. */
    public final Map<Integer, int[]> windows = new HashMap<>();
    public final Map<Integer, Integer> committed = new HashMap<>();
    public final Map<Integer, Integer> claimBase = new HashMap<>();
    public int readCursor;

    CProgram(long run) {
        this.run = run;
    }

    /** Appends C code to the body as it is. */
    public void code(String c) {
        body.append(c);
    }

    /** A C string literal. */
    public static String str(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** One step: make {@code call}, then judge it by {@code agrees} against the spec's outcome. */
    public void step(int n, Action a, Outcome spec, String call, String agrees) {
        body.append("\t{\t/* ").append(a).append(" */\n\t\tstruct res r = step((struct call){ ").append(call)
                .append(" }, ").append(spec.ret() == Ret.BLOCK ? 1 : 0)
                .append(");\n\n\t\tverdict(").append(n).append(", ").append(str(a.toString())).append(", ")
                .append(agrees).append(", ").append(str(String.valueOf(spec))).append(", shown(&r));\n\t}\n");
    }

    /** The C condition that the result is {@code r}, with {@code ok} what an "ok" must also show. */
    public static String retIs(Ret r, String ok) {
        return switch (r) {
            case BLOCK -> "r.blocked";
            case SIGBUS -> "r.sigbus";
            case OK -> "!r.blocked && !r.sigbus && " + ok;
            default -> "!r.blocked && r.ret == -1 && r.err == " + r.tla();
        };
    }

    /** Bytes as the runtime's letters: '0' for the zero byte. */
    public static String letters(Bytes b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < b.length(); i++) {
            s.append(b.at(i) == Bytes.ZERO ? '0' : (char) b.at(i));
        }
        return s.toString();
    }

    public static int prot(Prot p) {
        return switch (p) {
            case R -> 1;
            case RW -> 3;
            case RX -> 5;
            case RWX -> 7;
        };
    }
}
