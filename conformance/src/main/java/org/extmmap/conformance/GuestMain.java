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
                GraphSuite.Result r = GraphSuite.run(sg, paths, kernel, limit);
                String line = r.summary() + String.format(" (%.1f s)", (System.nanoTime() - t0) / 1e9);
                System.out.println(line);
                md.append("## ").append(name).append("\n\n").append(line).append(" of ").append(paths.size())
                        .append(" paths in all\n\n");
                // failures grouped by kind, each kind with its count and its shortest example
                Map<String, List<PathVerdict.Failed>> kinds = new TreeMap<>();
                for (PathVerdict.Failed f : r.failures()) {
                    kinds.computeIfAbsent(kind(f), k -> new ArrayList<>()).add(f);
                }
                kinds.forEach((kind, fs) -> {
                    PathVerdict.Failed shortest = fs.stream().min((x, y) -> x.steps() - y.steps()).orElseThrow();
                    md.append("### ").append(fs.size()).append(" x ").append(kind).append("\n\n```\n")
                            .append(shortest.describe()).append("\n```\n\n");
                });
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
