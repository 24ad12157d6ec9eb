package org.extmmap.conformance.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A recorded history (conformance/histories.md): the header, and each process's calls in its
 * own order, each with its invocation and completion tickets.
 *
 * @param calls by process name: that process's calls in order; a killed process ends in a
 *     {@code kill} call spanning the conductor's K and D lines
 */
public record History(String name, Header header, Map<Integer, List<Call>> calls) {
    /** The completion ticket of a call that never completed. */
    public static final long PENDING = Long.MAX_VALUE;

    public History {
        Map<Integer, List<Call>> copy = new TreeMap<>();
        calls.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        calls = java.util.Collections.unmodifiableMap(copy);
    }

    /** H line: the run's parameters. */
    public record Header(long seed, int page, int capacity, boolean extmmap, int procs) {
    }

    /**
     * One call: {@code op} and {@code args} as in the I line; {@code result} the R line's words
     * without the sig=/sigpipe= counts (empty while pending).
     */
    public record Call(int proc, int index, String op, List<String> args, long invoked, long completed,
            List<String> result, int signals, int sigpipes) {
        public Call {
            args = List.copyOf(args);
            result = List.copyOf(result);
        }

        public boolean pending() {
            return completed == PENDING;
        }

        public String arg(int i) {
            return args.get(i);
        }

        public int intArg(int i) {
            return Integer.parseInt(args.get(i));
        }

        /** The call as its I line shows it, with its result. */
        @Override
        public String toString() {
            return "p" + proc + " #" + index + " [" + invoked + ".." + (pending() ? "pending" : completed) + "] "
                    + op + (args.isEmpty() ? "" : " " + String.join(" ", args)) + " -> "
                    + (pending() ? "(pending)" : String.join(" ", result))
                    + (signals > 0 ? " sig=" + signals : "") + (sigpipes > 0 ? " sigpipe=" + sigpipes : "");
        }
    }

    public int events() {
        int n = 0;
        for (List<Call> l : calls.values()) {
            for (Call c : l) {
                n += c.pending() ? 1 : 2;
            }
        }
        return n;
    }

    public List<Call> allCalls() {
        List<Call> out = new ArrayList<>();
        calls.values().forEach(out::addAll);
        out.sort(java.util.Comparator.comparingLong(Call::invoked));
        return out;
    }

    public static History read(Path file) {
        try {
            return parse(file.getFileName().toString(), Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the lines of a history; a line out of format fails with its number and the reason. */
    public static History parse(String name, List<String> lines) {
        Header header = null;
        Map<Integer, List<Call>> calls = new LinkedHashMap<>();
        Map<Integer, Call> open = new LinkedHashMap<>(); // a process's invoked, not completed call
        Map<Integer, Long> killSent = new LinkedHashMap<>();
        long lastTicket = -1;
        int no = 0;
        for (String line : lines) {
            no++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] w = line.strip().split(" ");
            try {
                if (w[0].equals("H")) {
                    header = header(w);
                    continue;
                }
                long ticket = Long.parseLong(w[0]);
                if (ticket <= lastTicket) {
                    throw new IllegalArgumentException("ticket " + ticket + " not after " + lastTicket);
                }
                lastTicket = ticket;
                int proc = Integer.parseInt(w[2]);
                List<Call> mine = calls.computeIfAbsent(proc, k -> new ArrayList<>());
                switch (w[1]) {
                    case "I" -> {
                        if (open.containsKey(proc)) {
                            throw new IllegalArgumentException("process " + proc + " invokes while in "
                                    + open.get(proc).op());
                        }
                        open.put(proc, new Call(proc, mine.size(), w[3], Arrays.asList(w).subList(4, w.length),
                                ticket, PENDING, List.of(), 0, 0));
                    }
                    case "R" -> {
                        Call c = open.remove(proc);
                        if (c == null) {
                            throw new IllegalArgumentException("completion without an invocation");
                        }
                        mine.add(completed(c, ticket, Arrays.asList(w).subList(3, w.length)));
                    }
                    case "K" -> killSent.put(proc, ticket);
                    case "D" -> {
                        Call c = open.remove(proc);
                        boolean killed = w[3].equals("killed");
                        if (c != null && c.op().equals("exit") && !killed) {
                            mine.add(completed(c, ticket, List.of("ok")));
                        } else {
                            if (c != null) {
                                mine.add(c); // pending: the process vanished in it
                            }
                            Long k = killSent.get(proc);
                            if (k == null) {
                                throw new IllegalArgumentException("process " + proc + " ended ("
                                        + w[3] + ") without exit or kill");
                            }
                            mine.add(new Call(proc, mine.size(), "kill", List.of(), k, ticket, List.of("ok"), 0, 0));
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown event kind " + w[1]);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(name + ":" + no + ": " + e.getMessage() + ": " + line, e);
            }
        }
        if (header == null) {
            throw new IllegalArgumentException(name + ": no H line");
        }
        open.forEach((proc, c) -> calls.get(proc).add(c)); // still running at the end: pending
        for (Map.Entry<Integer, List<Call>> e : calls.entrySet()) {
            List<Call> l = e.getValue();
            for (int i = 0; i < l.size(); i++) {
                Call c = l.get(i);
                if (c.index() != i) {
                    l.set(i, new Call(c.proc(), i, c.op(), c.args(), c.invoked(), c.completed(), c.result(),
                            c.signals(), c.sigpipes()));
                }
            }
        }
        return new History(name, header, calls);
    }

    private static Call completed(Call c, long ticket, List<String> words) {
        List<String> result = new ArrayList<>();
        int sig = 0;
        int sigpipe = 0;
        for (String x : words) {
            if (x.startsWith("sig=")) {
                sig = Integer.parseInt(x.substring(4));
            } else if (x.startsWith("sigpipe=")) {
                sigpipe = Integer.parseInt(x.substring(8));
            } else {
                result.add(x);
            }
        }
        return new Call(c.proc(), c.index(), c.op(), c.args(), c.invoked(), ticket, result, sig, sigpipe);
    }

    private static Header header(String[] w) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (int i = 1; i < w.length; i++) {
            int eq = w[i].indexOf('=');
            kv.put(w[i].substring(0, eq), w[i].substring(eq + 1));
        }
        return new Header(Long.parseUnsignedLong(kv.get("seed")), Integer.parseInt(kv.get("page")),
                Integer.parseInt(kv.get("capacity")), "present".equals(kv.get("extmmap")),
                Integer.parseInt(kv.get("procs")));
    }

    /** The history as lines of the format, for a file or a report. */
    public List<String> lines() {
        record Ev(long t, String line) {
        }
        List<Ev> ev = new ArrayList<>();
        for (List<Call> l : calls.values()) {
            for (Call c : l) {
                if (c.op().equals("kill")) {
                    ev.add(new Ev(c.invoked(), c.invoked() + " K " + c.proc()));
                    ev.add(new Ev(c.completed(), c.completed() + " D " + c.proc() + " killed"));
                    continue;
                }
                ev.add(new Ev(c.invoked(), c.invoked() + " I " + c.proc() + " " + c.op()
                        + (c.args().isEmpty() ? "" : " " + String.join(" ", c.args()))));
                if (c.op().equals("exit") && !c.pending()) {
                    ev.add(new Ev(c.completed(), c.completed() + " D " + c.proc() + " exited"));
                } else if (!c.pending()) {
                    ev.add(new Ev(c.completed(), c.completed() + " R " + c.proc() + " " + String.join(" ", c.result())
                            + (c.signals() > 0 ? " sig=" + c.signals() : "")
                            + (c.sigpipes() > 0 ? " sigpipe=" + c.sigpipes() : "")));
                }
            }
        }
        ev.sort(java.util.Comparator.comparingLong(Ev::t));
        List<String> out = new ArrayList<>();
        out.add("# extmmap-history 1");
        out.add("H seed=" + Long.toUnsignedString(header.seed()) + " page=" + header.page() + " capacity="
                + header.capacity() + " extmmap=" + (header.extmmap() ? "present" : "absent") + " procs="
                + header.procs());
        ev.forEach(e -> out.add(e.line()));
        return out;
    }
}
