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
 * A C reproducer being written: its body and what the program's processes have done so far (the
 * same data refinement as the suite, a simpler byte pattern: see repro-runtime.c). Each
 * KernelCall writes its own step into it; a Wake step is written by the blocked call's own
 * KernelCall, with {@link #waking} set, so that it judges the call's result the same way.
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
    /** The call each blocked process is in. */
    public final Map<Integer, Action> blocked = new HashMap<>();
    /** Per process blocked in write(): the first pattern key of its data, and the runs it has moved. */
    public final Map<Integer, int[]> writes = new HashMap<>();
    /** The step being written blocks and the spec wakes another process next (see repro-runtime.c step()). */
    public boolean othersWake;
    /** The process whose blocked call the step being written awaits (a Wake), or 0. */
    public int waking;

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

    /** One step: make {@code call} in the action's process (or await it), then judge it by {@code agrees}. */
    public void step(int n, Action a, Outcome spec, String call, String agrees) {
        int blocks = spec.ret() == Ret.BLOCK ? 1 : 0;
        boolean wakes = waking == a.p();
        result(n, wakes ? new Action.Wake(a.p()) + " of " + a : a.toString(), spec, wakes
                ? "wake(" + a.p() + ", " + blocks + ")"
                : "step(" + a.p() + ", (struct call){ " + call + " }, " + blocks + ", " + (othersWake ? 1 : 0) + ")",
                agrees);
    }

    /** One step whose C expression {@code result} yields a struct res, judged by {@code agrees}. */
    public void result(int n, String what, Outcome spec, String result, String agrees) {
        body.append("\t{\t/* ").append(what.replace("*/", "* /")).append(" */\n\t\tstruct res r = ").append(result)
                .append(";\n\n\t\tverdict(").append(n).append(", ").append(str(what)).append(", ")
                .append(agrees).append(", ").append(str(String.valueOf(spec))).append(", shown(&r));\n\t}\n");
    }

    /** Whether a process other than p is blocked in a call that appends (how far it got, C cannot see). */
    public boolean otherAppending(int p) {
        return blocked.entrySet().stream().anyMatch(e -> e.getKey() != p
                && (e.getValue() instanceof Action.Write || e.getValue() instanceof Action.Msync));
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
