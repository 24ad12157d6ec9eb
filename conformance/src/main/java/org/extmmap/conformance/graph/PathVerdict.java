package org.extmmap.conformance.graph;

import java.util.List;

/** What replaying one path against a target showed. {@code steps} counts the steps that agreed. */
public sealed interface PathVerdict {
    int steps();

    /** Every step agreed with the spec. */
    record Passed(int steps) implements PathVerdict {
    }

    /** Step {@code steps} (0-based) disagreed: the spec's outcome, and what the target did. */
    record Failed(int steps, SpecStep step, String observed, List<SpecStep> prefix) implements PathVerdict {
        public String describe() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < prefix.size(); i++) {
                sb.append("  ").append(i).append(": ").append(prefix.get(i).action()).append(" -> ")
                        .append(prefix.get(i).expected()).append('\n');
            }
            sb.append("  ").append(steps).append(": ").append(step.action()).append("\n     spec:     ")
                    .append(step.expected()).append("\n     observed: ").append(observed);
            return sb.toString();
        }
    }

    /** Step {@code steps} could not be attempted on this target: the rest of the path is not run. */
    record NotRun(int steps, SpecStep step, String reason) implements PathVerdict {
    }
}
