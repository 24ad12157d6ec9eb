package org.extmmap.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.extmmap.conformance.graph.EdgeCover;
import org.extmmap.conformance.graph.GraphSuite;
import org.extmmap.conformance.graph.PathVerdict;
import org.extmmap.conformance.graph.SpecGraphs;
import org.extmmap.conformance.graph.SpecGraphs.SpecGraph;
import org.extmmap.conformance.graph.TestPath;
import org.extmmap.conformance.targets.Availability;
import org.extmmap.conformance.targets.KernelTarget;

/**
 * The graph-derived kernel tests without Maven, for a guest whose file system is the host's,
 * read-only: the graphs come from DOT files the host's test run left, the report goes to a
 * writable file. Exit status: 0 all attempted paths passed, 1 some failed, 2 extended mmap absent.
 *
 * <pre>java -cp ... org.extmmap.conformance.GuestMain SPECDIR TLCDIR REPORT.md MAXPATHS CONFIG...</pre>
 */
public final class GuestMain {
    private GuestMain() {
    }

    /**
     * Reports a path that does not finish: prints it step by step with the stacks of the spec
     * process threads (which system call they are in) and ends the JVM with status 3, so that a
     * hang in the kernel becomes a finding with its step sequence instead of a silent timeout.
     */
    static final class Watchdog {
        private static final long LIMIT_MS = 240_000;
        private final SpecGraph sg;
        private volatile TestPath current;
        private volatile long since;
        private volatile boolean running = true;
        private int started;

        Watchdog(SpecGraph sg) {
            this.sg = sg;
            Thread t = new Thread(this::watch, "guest-watchdog");
            t.setDaemon(true);
            t.start();
        }

        void starting(TestPath p) {
            current = p;
            since = System.currentTimeMillis();
            if (++started % 100 == 0) {
                System.out.println("[guest-main] " + sg.name() + ": " + started + " paths started");
            }
        }

        void stop() {
            running = false;
        }

        private void watch() {
            while (running) {
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException e) {
                    return;
                }
                TestPath p = current;
                if (running && p != null && System.currentTimeMillis() - since > LIMIT_MS) {
                    StringBuilder sb = new StringBuilder("HANG: " + sg.name() + " path " + p.id()
                            + " has not finished after " + LIMIT_MS / 1000 + " s; its steps:\n");
                    p.edges().forEach(e -> sb.append("  ").append(org.extmmap.conformance.graph.EdgeDecoder.decode(
                            e.label(), sg.graph().state(e.to()).get("last"))).append('\n'));
                    Thread.getAllStackTraces().forEach((t, st) -> {
                        if (t.getName().startsWith("spec-process") || t.getName().equals("main")) {
                            sb.append("thread ").append(t.getName()).append(":\n");
                            for (int i = 0; i < Math.min(8, st.length); i++) {
                                sb.append("    at ").append(st[i]).append('\n');
                            }
                        }
                    });
                    System.out.println(sb);
                    System.out.flush();
                    Runtime.getRuntime().halt(3);
                }
            }
        }
    }

    /** A failure's kind: the call, what the spec says it returns, and what was seen instead. */
    static String kind(PathVerdict.Failed f) {
        String seen = f.observed();
        int ret = seen.indexOf("ret=");
        String observed = ret >= 0 ? seen.substring(ret, seen.indexOf(',', ret) < 0 ? seen.length() : seen.indexOf(',', ret))
                : seen.length() > 100 ? seen.substring(0, 100) : seen;
        return f.step().action().label() + ": spec ret=" + f.step().expected().ret() + ", observed " + observed;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: GuestMain SPECDIR TLCDIR REPORT.md MAXPATHS CONFIG...");
            System.exit(64);
        }
        Path spec = Path.of(args[0]);
        Path tlc = Path.of(args[1]);
        Path report = Path.of(args[2]);
        int limit = Integer.parseInt(args[3]);
        long seed = Long.getLong("extmmap.seed", System.nanoTime());
        KernelTarget kernel = KernelTarget.host(seed);
        Availability a = kernel.availability();
        StringBuilder md = new StringBuilder("# Graph-derived tests on " + kernel.name() + "\n\nseed " + seed + "\n\n");
        md.append(a.available() ? "Extended mmap present: " : "**EXTENDED MMAP ABSENT: nothing tested**: ")
                .append(a.detail()).append("\n\n");
        int status = a.available() ? 0 : 2;
        if (a.available()) {
            for (String name : List.of(args).subList(4, args.length)) {
                SpecGraph sg = SpecGraphs.fromDot(name, spec.resolve(name + ".cfg"),
                        tlc.resolve("conformance-" + name).resolve("states.dot"));
                List<TestPath> paths = EdgeCover.paths(sg.graph(), 60);
                long t0 = System.nanoTime();
                Watchdog dog = new Watchdog(sg);
                GraphSuite.Result r = GraphSuite.run(sg, paths, kernel, limit, dog::starting);
                dog.stop();
                String line = r.summary() + String.format(" (%.1f s)", (System.nanoTime() - t0) / 1e9);
                System.out.println(line);
                md.append("## ").append(name).append("\n\n").append(line).append(" of ").append(paths.size())
                        .append(" paths in all\n\n");
                // failures grouped by kind, each kind with its count and its shortest example
                Map<String, List<PathVerdict.Failed>> kinds = new TreeMap<>();
                for (PathVerdict.Failed f : r.failures()) {
                    kinds.computeIfAbsent(kind(f), k -> new ArrayList<>()).add(f);
                }
                md.append("| rule (spec action) | edges | covered | passed | failed | not attempted |\n"
                        + "|---|---|---|---|---|---|\n");
                r.tally().byAction().forEach((action, c) -> md.append("| ").append(action).append(" | ")
                        .append(c.total()).append(" | ").append(c.covered()).append(" | ").append(c.passed())
                        .append(" | ").append(c.failed()).append(" | ").append(c.notAttempted()).append(" |\n"));
                md.append('\n');
                int[] repro = {0};
                for (Map.Entry<String, List<PathVerdict.Failed>> k : kinds.entrySet()) {
                    List<PathVerdict.Failed> fs = k.getValue();
                    PathVerdict.Failed shortest = fs.stream().min((x, y) -> x.steps() - y.steps()).orElseThrow();
                    List<org.extmmap.conformance.graph.SpecStep> steps = new ArrayList<>(shortest.prefix());
                    steps.add(shortest.step());
                    String file = "repro-" + name + "-" + (++repro[0]) + ".c";
                    Files.writeString(report.resolveSibling(file), org.extmmap.conformance.graph.CReproducer.of(
                            sg.config(), steps, name + ": " + k.getKey()));
                    md.append("### ").append(fs.size()).append(" x ").append(k.getKey()).append("\n\nShortest"
                            + " failing sequence (reproducer: `").append(file).append("`):\n\n```\n")
                            .append(shortest.describe()).append("\n```\n\n");
                }
                r.notRun().stream().map(PathVerdict.NotRun::reason).distinct().limit(10)
                        .forEach(reason -> md.append("- not run: ").append(reason).append('\n'));
                status = Math.max(status, r.failures().isEmpty() ? 0 : 1);
            }
        }
        Files.writeString(report, md);
        System.out.println(md);
        System.exit(status);
    }
}
