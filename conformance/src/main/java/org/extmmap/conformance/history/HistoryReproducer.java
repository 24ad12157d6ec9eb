package org.extmmap.conformance.history;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A history as one C program that makes its calls again in real processes, their invocations
 * forced into ticket order, and says for each call whether it returned what the history recorded:
 * a rejected history (or its shortest failing prefix) for a kernel developer without a JVM. The
 * program's runtime, history-replay.c beside this class, says how the order is forced and what
 * cannot be; this class writes the history's calls into it as a table.
 *
 * <pre>HistoryReproducer HISTORY.txt OUT.c     then: gcc -std=c11 -O1 -Wall -Wextra -Werror -o r OUT.c && ./r</pre>
 */
public final class HistoryReproducer {
    private HistoryReproducer() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: HistoryReproducer HISTORY.txt OUT.c");
            System.exit(2);
        }
        History h = History.read(Path.of(args[0]));
        try {
            write(h, Path.of(args[1]));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
        System.out.println("wrote " + args[1] + " (" + h.allCalls().size() + " calls); build and run: gcc -std=c11"
                + " -O1 -Wall -Wextra -Werror -o repro " + args[1] + " && ./repro");
    }

    /** Writes the program for {@code h} to {@code out} (its directory is made). */
    public static Path write(History h, Path out) {
        String c = of(h);
        try {
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            Files.writeString(out, c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * The program for {@code h}. An op it cannot replay, a call of the conductor other than its
     * fork and close, or a process no fork of the history made throws IllegalArgumentException.
     */
    public static String of(History h) {
        List<History.Call> calls = h.allCalls();
        Map<String, Integer> handles = new LinkedHashMap<>();
        Map<History.Call, Integer> children = children(h, calls);
        int procs = h.header().procs();
        int maxIo = h.header().page();
        boolean mapping = false;
        boolean claimend = false;
        for (History.Call c : calls) {
            procs = Math.max(procs, c.proc() + 1);
            if (c.proc() == 0 && !c.op().equals("fork") && !c.op().equals("close")) {
                throw unsupported(c, "the conductor (process 0) makes only fork and close in the workload");
            }
            switch (c.op()) {
                case "read", "write" -> maxIo = Math.max(maxIo, c.intArg(0));
                case "mmap" -> {
                    if (!c.pending() && c.result().get(0).equals("ok")) {
                        handles.put(c.result().get(1), handles.size() + 1);
                    }
                }
                case "close", "poll", "fionread", "claimend", "load", "store", "pstore", "msync", "munmap",
                        "mprotect", "mremap", "exit", "kill" -> {
                }
                case "fork" -> procs = Math.max(procs, children.get(c) + 1);
                default -> throw unsupported(c, "no such call in histories.md");
            }
            mapping |= c.op().equals("mmap") || SpecCalls.takesHandle(c);
            claimend |= c.op().equals("claimend");
        }
        StringBuilder t = new StringBuilder();
        t.append("#define HISTORY ").append(str(h.name())).append("\n#define PAGE ").append(h.header().page())
                .append("\n#define CAPACITY ").append(h.header().capacity()).append("\n#define NPROCS ").append(procs)
                .append("\n#define NMAPS ").append(handles.size()).append("\n#define MAX_IO ").append(maxIo)
                .append("\n#define USES_MMAP ").append(mapping ? 1 : 0).append("\n\nstatic const char *const handles[] = { \"\"");
        handles.keySet().forEach(k -> t.append(", ").append(str(k)));
        t.append(" };\n\nstatic const struct step steps[] = {\n");
        record Event(long t, char kind, int step) {
        }
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            History.Call c = calls.get(i);
            t.append("\t{ .t = ").append(c.invoked()).append(", .done = ")
                    .append(c.pending() ? "PENDING" : String.valueOf(c.completed())).append(", .proc = ")
                    .append(c.proc()).append(", .op = OP_").append(c.op().toUpperCase());
            t.append(fields(c, handles, children));
            if (c.signals() > 0) {
                t.append(", .sig = ").append(c.signals());
            }
            t.append(",\n\t  .text = ").append(str(c.op().equals("kill") ? "SIGKILL"
                    : c.op() + (c.args().isEmpty() ? "" : " " + String.join(" ", c.args()))));
            t.append(", .want = ").append(c.pending() ? "NULL" : str(want(c))).append(" },\n");
            boolean kill = c.op().equals("kill");
            events.add(new Event(c.invoked(), kill ? 'K' : 'I', i));
            if (!c.pending()) {
                events.add(new Event(c.completed(), kill || c.op().equals("exit") ? 'D' : 'R', i));
            }
        }
        events.sort(Comparator.comparingLong(Event::t));
        t.append("};\n\n/* the history's events in ticket order: I and K start a step, R and D end it */\n"
                + "static const struct event events[] = {");
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            t.append(i % 6 == 0 ? "\n\t" : " ").append("{ ").append(e.t()).append(", '").append(e.kind())
                    .append("', ").append(e.step()).append(" },");
        }
        t.append("\n};\n");
        String head = "/*\n * C reproducer of the concurrent history " + h.name() + " (" + h.events() + " events), "
                + "written by HistoryReproducer\n * (conformance/, org.extmmap.conformance.history)."
                + " Build and run on the kernel under test:\n *   gcc -std=c11 -O1 -Wall -Wextra -Werror -o repro"
                + " THIS.c && ./repro\n *\n * The history:\n"
                + String.join("\n", h.lines().stream().map(l -> " *   " + l.replace("*/", "* /")).toList())
                + "\n */\n";
        return head + resource("history-replay.c")
                .replace("/* HISTORY_COMMON */", resource("history-common.h"))
                .replace("/* HISTORY_UAPI */", claimend ? uapi() : "/* (no claimend: no PIPE_IOC_CLAIM_END) */")
                .replace("/* HISTORY_TABLE */", t.toString());
    }

    /** The child's name of each fork; a pending fork's child is the one process no other fork made. */
    private static Map<History.Call, Integer> children(History h, List<History.Call> calls) {
        Map<History.Call, Integer> out = new LinkedHashMap<>();
        Set<Integer> made = new TreeSet<>(); // processes with calls (a prefix keeps the others, with none)
        h.calls().forEach((p, l) -> {
            if (p != 0 && !l.isEmpty()) {
                made.add(p);
            }
        });
        List<History.Call> pending = new ArrayList<>();
        for (History.Call c : calls) {
            if (c.op().equals("fork") && c.pending()) {
                pending.add(c);
            } else if (c.op().equals("fork")) {
                out.put(c, Integer.parseInt(c.result().get(1)));
                made.remove(out.get(c));
            }
        }
        int fresh = h.calls().keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        for (History.Call c : pending) {
            if (made.size() > 1 || made.size() == 1 && pending.size() > 1) {
                throw unsupported(c, "a pending fork, and no telling which of processes " + made + " it made");
            }
            // no process of its own in the history: a child that makes no call but holds what it inherited
            out.put(c, made.isEmpty() ? fresh++ : made.iterator().next());
            made.clear();
        }
        if (!made.isEmpty()) {
            throw new IllegalArgumentException(h.name() + ": processes " + made + " were made by no fork of the history");
        }
        return out;
    }

    /** The step's arguments as the runtime's fields (histories.md, "Calls and results"). */
    private static String fields(History.Call c, Map<String, Integer> handles, Map<History.Call, Integer> children) {
        String map = "";
        if (SpecCalls.takesHandle(c)) {
            Integer k = handles.get(c.arg(0));
            if (k == null) {
                throw unsupported(c, "mapping " + c.arg(0) + " is made by no mmap of the history");
            }
            map = ", .map = " + k;
        }
        String hex = !c.pending() && c.result().get(c.result().size() - 1).startsWith("x") ? ", .hex = 1" : "";
        return switch (c.op()) {
            case "read" -> ", .a = " + c.arg(0) + hex;
            case "write" -> ", .a = " + c.arg(0) + ", .key = " + c.arg(1) + "ULL";
            case "close" -> ", .end = '" + c.arg(0) + "'";
            case "claimend" -> map + ", .a = " + c.arg(1);
            case "mmap" -> (!c.pending() && c.result().get(0).equals("ok") ? ", .map = " + handles.get(c.result().get(1))
                    : "") + ", .end = '" + c.arg(0) + "', .a = " + c.arg(1) + ", .prot = " + prot(c, c.arg(2))
                    + ", .flags = " + (c.arg(3).equals("shared") ? "MAP_SHARED" : "MAP_PRIVATE") + ", .b = " + c.arg(4);
            case "load" -> map + ", .a = " + c.arg(1) + ", .b = " + c.arg(2) + hex;
            case "store", "pstore" -> map + ", .a = " + c.arg(1) + ", .b = " + c.arg(2) + ", .key = " + c.arg(3) + "ULL";
            case "msync" -> map + ", .a = " + c.arg(1);
            case "munmap" -> map + ", .a = " + c.arg(1) + ", .b = " + c.arg(2);
            case "mprotect" -> map + ", .prot = " + prot(c, c.arg(1));
            case "mremap" -> map;
            case "fork" -> ", .a = " + children.get(c);
            default -> "";
        };
    }

    /** The recorded result as the runtime prints its own: sig= left out (the conductor's doing), sigpipe= kept. */
    private static String want(History.Call c) {
        return switch (c.op()) {
            case "exit" -> "exited";
            case "kill" -> "killed";
            default -> String.join(" ", c.result()) + (c.sigpipes() > 0 ? " sigpipe=" + c.sigpipes() : "");
        };
    }

    private static String prot(History.Call c, String p) {
        return switch (p) {
            case "r" -> "PROT_READ";
            case "rw" -> "PROT_READ | PROT_WRITE";
            case "rx" -> "PROT_READ | PROT_EXEC";
            case "rwx" -> "PROT_READ | PROT_WRITE | PROT_EXEC";
            default -> throw unsupported(c, "protection " + p);
        };
    }

    private static IllegalArgumentException unsupported(History.Call c, String why) {
        return new IllegalArgumentException("cannot reproduce " + c.op() + " at ticket " + c.invoked() + " (" + c
                + "): " + why);
    }

    private static String str(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The series' uapi header, whole: the program builds without the kernel tree (as CReproducer's). */
    private static String uapi() {
        return resource("/org/extmmap/conformance/graph/uapi/linux/pipe_mmap.h");
    }

    private static String resource(String name) {
        try (InputStream in = HistoryReproducer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + name + " (mvn compile makes the uapi header)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
