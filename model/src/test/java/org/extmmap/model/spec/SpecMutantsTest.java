package org.extmmap.model.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.extmmap.model.tla.Tlc;
import org.extmmap.model.tla.TlcResult;
import org.extmmap.model.tla.TlcViolation;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The properties must be able to fail: every wrong variant in spec/Mutants.txt must make TLC report the
 * expected property violated, with a counterexample trace.
 */
class SpecMutantsTest {
    private static final Path WORK = Path.of("target", "spec-mutants").toAbsolutePath();

    @TestFactory
    Stream<DynamicTest> everyWrongVariantIsRejected() throws IOException {
        List<Mutant> mutants = Mutant.parse(Files.readString(SpecFiles.DIR.resolve("Mutants.txt")));
        assertFalse(mutants.isEmpty(), "spec/Mutants.txt lists no wrong variant");
        String spec = Files.readString(SpecFiles.DIR.resolve(SpecFiles.SPEC_MODULE));
        return mutants.stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> check(m, spec)));
    }

    private static void check(Mutant m, String spec) throws IOException {
        Path dir = WORK.resolve(m.name());
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(SpecFiles.SPEC_MODULE), m.apply(spec));
        Files.copy(SpecFiles.DIR.resolve(SpecFiles.MAIN_MODULE), dir.resolve(SpecFiles.MAIN_MODULE),
                StandardCopyOption.REPLACE_EXISTING);
        Path cfg = dir.resolve(m.config() + ".cfg");
        Files.copy(SpecFiles.config(m.config()), cfg, StandardCopyOption.REPLACE_EXISTING);

        TlcResult r = Tlc.of(dir.resolve(SpecFiles.MAIN_MODULE), cfg)
                .withDeadlockCheck(false)
                .withTimeout(Duration.ofMinutes(5))
                .withWorkDir(dir.resolve("tlc"))
                .run();
        System.out.printf("mutant %s (%s) on %s: %s after %s%n", m.name(), m.why(), m.config(),
                r.violation().map(Object::toString).orElse("no violation"), r.elapsed());
        TlcViolation v = r.violation().orElseThrow(() -> new AssertionError(
                "TLC accepted the wrong variant " + m.name() + " (" + m.why() + "); expected " + m.expect()
                        + " to be violated.\n" + r.output()));
        if (v.kind() == TlcViolation.Kind.TEMPORAL_PROPERTY) {
            // TLC does not name the temporal property; the configuration must have only the expected one.
            String cfgText = Files.readString(cfg);
            assertTrue(cfgText.contains("PROPERTIES\n    " + m.expect() + "\n"),
                    m.config() + ".cfg must list exactly the temporal property " + m.expect());
        } else {
            assertEquals(m.expect(), v.name(), () -> "wrong variant " + m.name() + " violated another property:\n"
                    + r.output());
        }
        assertFalse(r.trace().isEmpty(), "TLC gave no counterexample trace for " + m.name());
    }
}
