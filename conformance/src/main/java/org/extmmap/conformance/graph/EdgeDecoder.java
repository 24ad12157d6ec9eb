package org.extmmap.conformance.graph;

import org.extmmap.model.Outcome;
import org.extmmap.model.SpecRecord;
import org.extmmap.model.tla.TlaValue;
import org.extmmap.model.units.Units;

/**
 * Reads a test step off an edge of TLC's graph: the edge label names the spec's action (its
 * unit decodes the arguments), and the target state's {@code last} record holds the call's
 * arguments and its outcome. Only the spec's own record is read, never the Java model's rules, so
 * a test's expectation comes from the spec.
 */
public final class EdgeDecoder {
    private EdgeDecoder() {
    }

    public static SpecStep decode(String label, TlaValue last) {
        SpecRecord r = SpecRecord.of(last);
        return new SpecStep(Units.byLabel(label).decode(r), Outcome.decode(r));
    }
}
