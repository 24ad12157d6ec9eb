package org.extmmap.conformance.targets;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.state.ActionChain;
import org.extmmap.conformance.graph.ConformanceReport;
import org.extmmap.model.ExtMmap;

/**
 * The walks must be able to fail: each fault-injected target of {@link PlantedBugs} is driven by
 * the walks of {@link ExtMmapWalkProperties} (the correct model as the oracle, the planted one as
 * the target) until a walk fails. The walks are drawn from a fixed seed, so the verdict is the
 * same on every run; the table goes into the conformance report.
 */
class WalksCatchBugsTest {
    static final int MAX_WALKS = 1000;
    static final long SEED = 20261206L;

    @Example // jqwik runs it: drawing chains needs a jqwik thread
    void everyFaultInjectedTargetFailsSomeWalk() {
        StringBuilder md = new StringBuilder("# Fault-injected targets against the walks\n\nThe walks over the"
                + " whole interface (three processes, real sizes) with the model as the oracle and the model with"
                + " one planted bug as the target; walks drawn from seed " + SEED + " until one fails (at most "
                + MAX_WALKS + ").\n\n| bug | first failing walk | its failure (last line) |\n|---|---|---|\n");
        List<String> missed = new ArrayList<>();
        for (PlantedBugs.Bug b : PlantedBugs.ALL) {
            ExtMmap planted = b.target().apply(ExtMmapWalkProperties.WHOLE);
            RandomGenerator<ActionChain<Walk>> walks = ExtMmapWalkProperties.walks(() -> new Walk(
                    new ExtMmap(ExtMmapWalkProperties.WHOLE), new ModelTarget().start(planted))).generator(1000);
            Random random = new Random(SEED);
            int failedAt = 0;
            String failure = "";
            for (int n = 1; n <= MAX_WALKS && failedAt == 0; n++) {
                ActionChain<Walk> chain = walks.next(random).value();
                try {
                    chain.run();
                } catch (AssertionError | OutsideSpec e) {
                    failedAt = n;
                    failure = lastLine(e);
                } finally {
                    chain.finalState().ifPresent(Walk::close);
                }
            }
            md.append("| ").append(b.name()).append(" | ")
                    .append(failedAt == 0 ? "none of " + MAX_WALKS : String.valueOf(failedAt)).append(" | ")
                    .append(failure.replace("|", "\\|")).append(" |\n");
            if (failedAt == 0) {
                missed.add(b.name());
            }
        }
        int caught = PlantedBugs.ALL.size() - missed.size();
        md.append(String.format("%nKill rate: %d of %d caught.%n", caught, PlantedBugs.ALL.size()));
        ConformanceReport.write("fault-injected-walks", md.toString());
        assertTrue(missed.isEmpty(), "fault-injected targets the walks did not catch in " + MAX_WALKS + " walks: "
                + missed);
    }

    // the root cause's last line: the outcome the spec wanted against the one seen
    private static String lastLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String[] lines = String.valueOf(root.getMessage()).strip().split("\n");
        String last = lines[lines.length - 1].strip();
        return last.length() > 240 ? last.substring(0, 240) + " ..." : last;
    }
}
