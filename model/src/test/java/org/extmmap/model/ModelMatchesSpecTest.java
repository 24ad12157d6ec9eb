package org.extmmap.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.extmmap.model.tla.Edge;
import org.extmmap.model.tla.GraphComparison;
import org.extmmap.model.tla.StateGraph;
import org.extmmap.model.tla.StateGraphExplorer;
import org.extmmap.model.tla.TlaValue;
import org.extmmap.model.tla.Tlc;
import org.extmmap.model.tla.TlcResult;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The Java model's state graph equals the one TLC dumps for spec/ExtMmapProps.tla, state for
 * state and edge for edge, on every configuration in spec/ marked {@code \* model-equivalence}.
 * TLC checks the configuration's invariants and properties in the same run.
 */
class ModelMatchesSpecTest {
    static final String MARK = "\\* model-equivalence";
    static final Path SPEC = Path.of("../spec/ExtMmapProps.tla");
    static final int STATE_LIMIT = 3_000_000;

    /** The marked configurations in spec/. */
    static List<Path> markedConfigs() {
        try (Stream<Path> files = Files.list(SPEC.getParent())) {
            return files.filter(f -> f.toString().endsWith(".cfg")).sorted().filter(ModelMatchesSpecTest::marked)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean marked(Path cfg) {
        try {
            return Files.readAllLines(cfg).stream().anyMatch(l -> l.strip().equals(MARK));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Map<Path, CompletableFuture<StateGraph>> TLC_GRAPHS = new ConcurrentHashMap<>();
    // One TLC run at a time (each uses every core), in the background, so that the Java side of one
    // configuration is explored and compared while TLC works on the next.
    private static final ExecutorService TLC_RUNS = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tlc-runs");
        t.setDaemon(true);
        return t;
    });

    /** Starts TLC on a configuration unless it ran or is queued already in this test JVM. */
    static CompletableFuture<StateGraph> tlcGraphLater(Path cfg) {
        return TLC_GRAPHS.computeIfAbsent(cfg.toAbsolutePath().normalize(),
                c -> CompletableFuture.supplyAsync(() -> runTlc(cfg), TLC_RUNS));
    }

    /** TLC's graph for a configuration, run once per test JVM (other test classes reuse it). */
    static StateGraph tlcGraph(Path cfg) {
        try {
            return tlcGraphLater(cfg).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Error err) {
                throw err; // the assertion that failed inside the TLC run
            }
            throw e;
        }
    }

    /** TLC's graph for a configuration, from a dump in a work directory of its own. */
    private static StateGraph runTlc(Path cfg) {
        String name = cfg.getFileName().toString().replace(".cfg", "");
        TlcResult r = Tlc.of(SPEC, cfg).withDotDump(true).withDeadlockCheck(false).withTimeout(Duration.ofMinutes(10))
                .withWorkDir(Path.of("target", "tlc", "equivalence-" + name)).run();
        assertTrue(r.ok(), () -> "TLC failed on " + cfg + ": " + r + "\n" + r.output());
        StateGraph g = withoutStuttering(r.stateGraph());
        assertEquals(r.distinctStates(), g.stateCount(), "the dump holds every distinct state");
        System.out.printf("%s: TLC %d states, %d edges in %.1fs%n", cfg, g.stateCount(), g.edgeCount(),
                r.elapsed().toMillis() / 1000.0);
        return g;
    }

    /**
     * The graph without the unlabelled self-loops TLC adds to its dump when it checks temporal
     * properties: those are the stuttering steps of [Next]_vars, not steps of Next.
     */
    static StateGraph withoutStuttering(StateGraph g) {
        StateGraph.Builder b = StateGraph.builder();
        for (Map<String, TlaValue> s : g.states()) {
            b.addState(s);
        }
        for (int s : g.initialStates()) {
            b.markInitial(s);
        }
        for (Edge e : g.edges()) {
            if (!(e.label().isEmpty() && e.from() == e.to())) {
                b.addEdge(e.from(), e.label(), e.to());
            }
        }
        return b.build();
    }

    static StateGraph javaGraph(ExtMmap model) {
        return StateGraphExplorer.withLimit(STATE_LIMIT).explore(new ExtMmapSystem(model));
    }

    @TestFactory
    List<DynamicTest> javaModelEqualsTlcGraph() {
        List<Path> configs = markedConfigs();
        assertTrue(!configs.isEmpty(), "no configuration is marked " + MARK);
        configs.forEach(ModelMatchesSpecTest::tlcGraphLater);
        List<DynamicTest> tests = new ArrayList<>();
        for (Path cfg : configs) {
            tests.add(DynamicTest.dynamicTest(cfg.toString(), () -> {
                long started = System.nanoTime();
                StateGraph java = javaGraph(new ExtMmap(Config.read(cfg)));
                System.out.printf("%s: Java %d states, %d edges in %.1fs%n", cfg, java.stateCount(),
                        java.edgeCount(), (System.nanoTime() - started) / 1e9);
                StateGraph tlc = tlcGraph(cfg);
                GraphComparison.compare("TLC", tlc, "Java", java).requireEquivalent();
            }));
        }
        return tests;
    }
}
