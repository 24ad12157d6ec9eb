package org.extmmap.conformance.graph;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.extmmap.conformance.graph.SpecGraphs.SpecGraph;
import org.extmmap.conformance.targets.Availability;
import org.extmmap.conformance.targets.KernelTarget;
import org.extmmap.conformance.targets.ModelTarget;
import org.extmmap.conformance.targets.Target;
import org.extmmap.model.TlaRendering;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.TestAbortedException;

/**
 * Graph-derived tests: for each configuration, TLC's state graph, a set of paths from the initial
 * state that takes every edge, and each path replayed as one test against the model (which tests
 * this harness) and against the kernel (which is conformance, when the kernel has the feature).
 */
class GraphReplayTest {
    /** The configurations replayed; -Dextmmap.configs=Quick,Errors,Windows adds larger ones. */
    static final List<String> CONFIGS = List.of(System.getProperty("extmmap.configs", "Quick,Errors").split(","));
    /**
     * The configurations replayed on the kernel, one edge of every obligation each (see {@link
     * Obligations}); -Dextmmap.kernelConfigs=Quick,Errors,Windows,Claims adds the larger ones.
     */
    static final List<String> KERNEL_CONFIGS =
            List.of(System.getProperty("extmmap.kernelConfigs", String.join(",", CONFIGS)).split(","));
    /**
     * At most this many obligation paths of a kernel configuration, a seeded sample beyond:
     * -Dextmmap.kernelPaths=Windows:2000,Claims:2000 (a bare N applies to every configuration;
     * absent: all paths).
     */
    static int kernelPathsMax(String config) {
        for (String part : System.getProperty("extmmap.kernelPaths", "").split(",")) {
            String[] kv = part.split(":");
            if (kv.length == 1 && !kv[0].isBlank()) {
                return Integer.parseInt(kv[0].strip());
            } else if (kv.length == 2 && kv[0].strip().equals(config)) {
                return Integer.parseInt(kv[1].strip());
            }
        }
        return 0;
    }
    private static final Map<String, Integer> ALL_KERNEL_PATHS = new ConcurrentHashMap<>();
    private static final Map<String, Obligations> OBLIGATIONS = new ConcurrentHashMap<>();
    private static final Map<String, List<TestPath>> KERNEL_PATHS = new ConcurrentHashMap<>();
    static final int MAX_PATH = 60;
    /** C reproducers written for the first failing kernel paths of a run (target/conformance-report/repro-*.c). */
    static final int MAX_REPRODUCERS = 20;
    private static final Map<String, EdgeTally> TALLIES = new ConcurrentHashMap<>();
    private static final Map<String, List<TestPath>> PATHS = new ConcurrentHashMap<>();
    private static final long SEED = Long.getLong("extmmap.seed", System.nanoTime());
    /**
     * -Dextmmap.stopAfterFailures=N: once N kernel paths failed, the rest are reported NOT RUN
     * (skipped). For kernel-patch/mutate.sh, which needs one killing test, not all of them.
     */
    private static final String STOP_PROPERTY = "extmmap.stopAfterFailures";
    private static final int STOP_AFTER = Integer.getInteger(STOP_PROPERTY, 0);
    private static final AtomicInteger KERNEL_FAILURES = new AtomicInteger();
    private static final KernelTarget KERNEL = KernelTarget.host(SEED);

    static List<TestPath> paths(SpecGraph sg) {
        return PATHS.computeIfAbsent(sg.name(), n -> {
            List<TestPath> p = EdgeCover.paths(sg.graph(), MAX_PATH);
            assertTrue(EdgeCover.coversAll(sg.graph(), p), "the paths of " + n + " miss an edge");
            return p;
        });
    }

    static Obligations obligations(SpecGraph sg) {
        return OBLIGATIONS.computeIfAbsent(sg.name(), n -> Obligations.of(sg.graph()));
    }

    /** Paths that take one edge of every obligation: what the kernel replays. */
    static List<TestPath> kernelPaths(SpecGraph sg) {
        return KERNEL_PATHS.computeIfAbsent(sg.name(), n -> {
            List<TestPath> p = EdgeCover.obligationPaths(sg.graph(), obligations(sg), MAX_PATH);
            assertTrue(EdgeCover.coversAllObligations(sg.graph(), obligations(sg), p),
                    "the paths of " + n + " miss an obligation");
            ALL_KERNEL_PATHS.put(n, p.size());
            int max = kernelPathsMax(n);
            if (max > 0 && p.size() > max) {
                List<TestPath> shuffled = new java.util.ArrayList<>(p);
                java.util.Collections.shuffle(shuffled, new java.util.Random(SEED));
                p = List.copyOf(shuffled.subList(0, max));
                System.out.printf("GraphReplayTest: %s on the kernel: a sample of %d of its %d obligation paths (seed %d)%n",
                        n, p.size(), ALL_KERNEL_PATHS.get(n), SEED);
            }
            return p;
        });
    }

    private static EdgeTally tally(Target t, SpecGraph sg) {
        return TALLIES.computeIfAbsent(t.name() + " / " + sg.name(), k -> t instanceof KernelTarget
                ? new EdgeTally(sg.graph(), kernelPaths(sg), obligations(sg))
                        .withProgress(sg.name() + " on " + t.name(), kernelPaths(sg).size())
                : new EdgeTally(sg.graph(), paths(sg)));
    }

    @TestFactory
    Stream<DynamicContainer> modelTakesEveryEdge() {
        ModelTarget model = new ModelTarget();
        return CONFIGS.stream().map(name -> {
            SpecGraph sg = SpecGraphs.of(name);
            TlaRendering rendering = new TlaRendering(sg.config());
            EdgeTally tally = tally(model, sg);
            return DynamicContainer.dynamicContainer(name + " on the model", paths(sg).stream().map(path ->
                    DynamicTest.dynamicTest(title(path), () -> {
                        try (ModelTarget.ModelRun run = model.start(sg.config())) {
                            // beyond outcomes, the whole model state must be the edge's target
                            PathVerdict v = PathReplay.replay(sg.graph(), path, run, edge ->
                                    rendering.render(run.state()).equals(sg.graph().state(edge.to()))
                                            ? Optional.empty()
                                            : Optional.of("model state differs from the graph's state " + edge.to()));
                            tally.record(path, v);
                            judge(v);
                        }
                    })));
        });
    }

    @TestFactory
    Stream<DynamicContainer> kernelTakesEveryEdge() {
        System.out.println("GraphReplayTest kernel seed " + SEED + " (rerun with -Dextmmap.seed=" + SEED + ")");
        return KERNEL_CONFIGS.stream().map(name -> {
            SpecGraph sg = SpecGraphs.of(name);
            EdgeTally tally = tally(KERNEL, sg);
            return DynamicContainer.dynamicContainer(name + " on " + KERNEL.name(), kernelPaths(sg).stream().map(path ->
                    DynamicTest.dynamicTest(title(path), () -> {
                        Availability a = KERNEL.availability();
                        Assumptions.assumeTrue(a.available(), () -> "NOT RUN: extended mmap absent: " + a.detail());
                        Assumptions.assumeTrue(STOP_AFTER == 0 || KERNEL_FAILURES.get() < STOP_AFTER, () -> "NOT RUN:"
                                + " the run stopped after " + STOP_AFTER + " failing kernel path(s) (-D" + STOP_PROPERTY + ")");
                        try (Target.Run run = KERNEL.start(sg.config())) {
                            PathVerdict v = PathReplay.replay(sg.graph(), path, run, edge -> Optional.empty());
                            tally.record(path, v);
                            if (v instanceof PathVerdict.Failed f && KERNEL_FAILURES.get() < MAX_REPRODUCERS) {
                                List<SpecStep> steps = new ArrayList<>(f.prefix());
                                steps.add(f.step());
                                System.out.println("GraphReplayTest: C reproducer " + ConformanceReport.reproducer(
                                        name + "-path" + path.id(), sg.config(), steps, name + " " + title(path)
                                                + ": step " + f.steps() + " observed " + f.observed()));
                            }
                            judge(v);
                        } catch (AssertionError | RuntimeException e) {
                            if (!(e instanceof TestAbortedException)) {
                                KERNEL_FAILURES.incrementAndGet();
                                System.out.println("GraphReplayTest: FAILED on the kernel: " + name + " " + title(path));
                            }
                            throw e;
                        }
                    })));
        });
    }

    private static String title(TestPath p) {
        return "path " + p.id() + " (" + p.edges().size() + " steps)";
    }

    private static void judge(PathVerdict v) {
        if (v instanceof PathVerdict.Failed f) {
            fail("step " + f.steps() + " disagrees with the spec:\n" + f.describe());
        } else if (v instanceof PathVerdict.NotRun n) {
            Assumptions.abort("NOT RUN from step " + n.steps() + " (" + n.step().action() + "): " + n.reason());
        }
    }

    @AfterAll
    static void report() {
        StringBuilder md = new StringBuilder("# Graph-derived tests\n\n");
        Availability a = KERNEL.availability();
        md.append("Kernel target: ").append(KERNEL.name()).append(": ")
                .append(a.available() ? "extended mmap present (" : "**EXTENDED MMAP ABSENT: kernel conformance NOT"
                        + " tested** (")
                .append(a.detail()).append(")\n\n");
        md.append("| target / config | states | edges | paths | covered | passed | failed | not attempted"
                + " | obligations | covered | passed | failed |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        TALLIES.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            String config = e.getKey().substring(e.getKey().lastIndexOf(" / ") + 3);
            SpecGraph sg = SpecGraphs.of(config);
            EdgeTally.Counts c = e.getValue().counts();
            md.append("| ").append(e.getKey()).append(" | ").append(sg.graph().stateCount()).append(" | ")
                    .append(c.total()).append(" | ").append(e.getValue().obligationCounts() != null
                            ? KERNEL_PATHS.get(config).size() : PATHS.get(config).size()).append(" | ")
                    .append(c.covered()).append(" | ").append(c.passed()).append(" | ").append(c.failed()).append(" | ")
                    .append(c.notAttempted());
            EdgeTally.Counts o = e.getValue().obligationCounts();
            md.append(o == null ? " | all edges | | | |\n" : " | " + o.total() + " | " + o.covered() + " | " + o.passed()
                    + " | " + o.failed() + " |\n");
        });
        KERNEL_PATHS.forEach((n, p) -> {
            if (p.size() < ALL_KERNEL_PATHS.get(n)) {
                md.append("\n").append(n).append(" on the kernel is a SAMPLE: ").append(p.size()).append(" of its ")
                        .append(ALL_KERNEL_PATHS.get(n)).append(" obligation paths, drawn with seed ").append(SEED)
                        .append(" (without -Dextmmap.kernelPaths every path runs).\n");
            }
        });
        TALLIES.entrySet().stream().filter(e -> e.getKey().startsWith(KERNEL.name() + " / "))
                .sorted(Map.Entry.comparingByKey()).forEach(e -> {
                    md.append("\n## ").append(e.getKey()).append(": obligations per rule (spec action)\n\n")
                            .append("| action | obligations | covered | passed | failed | not attempted |\n")
                            .append("|---|---|---|---|---|---|\n");
                    e.getValue().obligationsByAction().forEach((action, c) -> md.append("| ").append(action)
                            .append(" | ").append(c.total()).append(" | ").append(c.covered()).append(" | ")
                            .append(c.passed()).append(" | ").append(c.failed()).append(" | ")
                            .append(c.notAttempted()).append(" |\n"));
                });
        md.append("\nModel rows test the harness (decoding, paths, comparison, whole-state check), not the model;"
                + " they replay every edge. Kernel rows replay one edge of every obligation (edges that differ only"
                + " in the source state's `last` are one obligation: no step reads `last`), so their edge counts"
                + " cover only part of the edges.\n");
        ConformanceReport.write("graph-replay", md.toString());
    }
}
