package org.extmmap.model.spec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.extmmap.model.tla.Tlc;
import org.extmmap.model.tla.TlcResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLC checks the configurations that carry the liveness property (Quick, Liveness). The other
 * configurations' invariants are checked by ModelMatchesSpecTest, which runs TLC on them anyway.
 */
class SpecCheckTest {
    @ParameterizedTest
    @ValueSource(strings = {"Quick", "Liveness"})
    void configurationHoldsEveryProperty(String config) {
        TlcResult r = Tlc.of(SpecFiles.DIR.resolve(SpecFiles.MAIN_MODULE), SpecFiles.config(config))
                .withDeadlockCheck(false)
                .withTimeout(Duration.ofMinutes(5))
                .run();
        System.out.printf("TLC %s: %d distinct states, %d generated, %s%n", config, r.distinctStates(),
                r.statesGenerated(), r.elapsed());
        assertTrue(r.ok(), () -> "TLC rejected the spec on " + config + ".cfg:\n" + r.output());
        assertTrue(r.distinctStates() > 1000, config + ".cfg explored suspiciously few states: " + r.distinctStates());
    }
}
