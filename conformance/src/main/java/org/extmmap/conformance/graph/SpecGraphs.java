package org.extmmap.conformance.graph;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.extmmap.model.Config;
import org.extmmap.model.tla.DotGraph;
import org.extmmap.model.tla.Edge;
import org.extmmap.model.tla.StateGraph;
import org.extmmap.model.tla.Tlc;
import org.extmmap.model.tla.TlcResult;

/** TLC's state graph of a spec configuration, computed once per JVM. */
public final class SpecGraphs {
    /** The spec directory; surefire passes it, the default suits a run from conformance/. */
    public static final String SPEC_DIR = "extmmap.spec.dir";
    private static final Map<String, SpecGraph> CACHE = new ConcurrentHashMap<>();

    /**
     * A configuration's constants and its graph of calls.
     *
     * @param stutterLoops TLC's unlabelled (dashed) self-loops, left out of {@code graph}: they are
     *     no call, only TLC's stuttering marks where it checks a temporal property
     */
    public record SpecGraph(String name, Config config, StateGraph graph, int stutterLoops) {
    }

    private SpecGraphs() {
    }

    public static Path specDir() {
        Path dir = Path.of(System.getProperty(SPEC_DIR, "../spec"));
        if (!Files.isRegularFile(dir.resolve("ExtMmap.tla"))) {
            throw new IllegalStateException("no spec at " + dir.toAbsolutePath() + " (set -D" + SPEC_DIR + ")");
        }
        return dir;
    }

    /** The graph of spec/{name}.cfg under ExtMmapProps.tla. */
    public static SpecGraph of(String name) {
        return CACHE.computeIfAbsent(name, SpecGraphs::compute);
    }

    /**
     * -Dextmmap.reuseGraphs=true: a graph TLC dumped in an earlier run of this checkout is read
     * back when it is newer than every spec file, instead of running TLC again. For runs that
     * repeat one suite against many kernels (kernel-patch/mutate.sh); CI always runs TLC.
     */
    public static final String REUSE = "extmmap.reuseGraphs";

    private static SpecGraph compute(String name) {
        Path dir = specDir();
        Path cfg = dir.resolve(name + ".cfg");
        Path work = Path.of("target", "tlc", "conformance-" + name);
        Path dot = Tlc.dotPath(work);
        if (Boolean.getBoolean(REUSE) && newerThanSpec(dot, dir)) {
            return fromDot(name, cfg, dot);
        }
        TlcResult r = Tlc.of(dir.resolve("ExtMmapProps.tla"), cfg).withDotDump(true).withDeadlockCheck(false)
                .withWorkDir(work).withTimeout(Duration.ofMinutes(15)).run();
        if (!r.ok()) {
            throw new IllegalStateException("TLC did not check " + name + " cleanly: " + r + "\n" + r.output());
        }
        return calls(name, Config.read(cfg), r.stateGraph());
    }

    private static boolean newerThanSpec(Path dot, Path specDir) {
        try {
            if (!Files.isRegularFile(dot)) {
                return false;
            }
            long made = Files.getLastModifiedTime(dot).toMillis();
            try (var files = Files.list(specDir)) {
                return files.filter(f -> f.toString().endsWith(".tla") || f.toString().endsWith(".cfg"))
                        .allMatch(f -> f.toFile().lastModified() < made);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A graph TLC dumped earlier (the tests on the host leave it in
     * target/tlc/conformance-NAME/states.dot): a slow guest then need not run TLC itself.
     */
    public static SpecGraph fromDot(String name, Path cfg, Path dot) {
        try {
            return calls(name, Config.read(cfg), DotGraph.read(dot).toStateGraph());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SpecGraph calls(String name, Config config, StateGraph full) {
        StateGraph.Builder calls = StateGraph.builder();
        for (int st = 0; st < full.stateCount(); st++) {
            if (calls.addState(full.state(st)) != st) {
                throw new IllegalStateException("state indices moved while dropping stutter loops");
            }
            if (full.isInitial(st)) {
                calls.markInitial(st);
            }
        }
        int loops = 0;
        for (Edge e : full.edges()) {
            if (e.label().isEmpty()) {
                if (e.from() != e.to()) {
                    throw new IllegalStateException("an unlabelled edge that is no self-loop: " + e);
                }
                loops++;
            } else {
                calls.addEdge(e.from(), e.label(), e.to());
            }
        }
        return new SpecGraph(name, config, calls.build(), loops);
    }
}
