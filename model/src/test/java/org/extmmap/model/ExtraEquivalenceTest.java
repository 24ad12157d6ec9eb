package org.extmmap.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.extmmap.model.tla.GraphComparison;
import org.extmmap.model.tla.StateGraph;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Equivalence on configurations too slow for every build (several minutes of TLC each):
 * src/test/resources/extra/*.cfg, or the .cfg files named in the property. Run with
 * {@code mvn -pl model verify -Dtest=ExtraEquivalenceTest -Dextmmap.extra=all} (or
 * {@code -Dextmmap.extra=path/A.cfg,path/B.cfg}).
 */
@EnabledIfSystemProperty(named = "extmmap.extra", matches = ".+")
class ExtraEquivalenceTest {

    @TestFactory
    List<DynamicTest> javaModelEqualsTlcGraph() throws IOException {
        String which = System.getProperty("extmmap.extra");
        List<Path> configs = new ArrayList<>();
        if (which.equals("all")) {
            try (Stream<Path> files = Files.list(Path.of("src/test/resources/extra"))) {
                files.filter(f -> f.toString().endsWith(".cfg")).sorted().forEach(configs::add);
            }
        } else {
            for (String name : which.split(",")) {
                configs.add(Path.of(name.strip()));
            }
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path cfg : configs) {
            tests.add(DynamicTest.dynamicTest(cfg.toString(), () -> {
                if (!Files.isRegularFile(cfg)) {
                    throw new UncheckedIOException(new IOException("no such configuration: " + cfg));
                }
                StateGraph tlc = ModelMatchesSpecTest.tlcGraph(cfg);
                long started = System.nanoTime();
                StateGraph java = ModelMatchesSpecTest.javaGraph(new ExtMmap(Config.read(cfg)));
                System.out.printf("%s: Java %d states, %d edges in %.1fs%n", cfg, java.stateCount(),
                        java.edgeCount(), (System.nanoTime() - started) / 1e9);
                GraphComparison.compare("TLC", tlc, "Java", java).requireEquivalent();
            }));
        }
        return tests;
    }
}
