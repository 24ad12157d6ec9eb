package org.extmmap.model.tla;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The outcome of one TLC run.
 *
 * @param exitCode TLC's exit code (0: no error; 10 assumption, 11 deadlock, 12 safety, 13 liveness, 14 assertion,
 *     150+ parse and other errors); -1 when the run timed out and was killed
 * @param distinctStates from TLC's final "N states generated, M distinct states found" line, -1 if absent
 * @param statesGenerated from the same line, -1 if absent
 * @param violation the first violation TLC reported, if any
 * @param dotFile the state graph dump, when one was requested and written
 * @param output TLC's stdout and stderr, interleaved
 */
public record TlcResult(int exitCode, boolean timedOut, long distinctStates, long statesGenerated,
        Optional<TlcViolation> violation, Optional<Path> dotFile, String output, Duration elapsed) {
    private static final Pattern STATE_HEADER = Pattern.compile("^State \\d+: <");
    // lasso ends: "State 3: Stuttering", "Back to state 2: <...>"; neither has a state body
    private static final Pattern TRACE_END = Pattern.compile("^(State \\d+: Stuttering|Back to state)");

    /** True when TLC finished within the timeout, found no violation and reported no error. */
    public boolean ok() {
        return exitCode == 0 && !timedOut && violation.isEmpty();
    }

    /**
     * The states of the counterexample TLC printed ("State N: ..." blocks), in order; empty if
     * none. A lasso of a temporal property ends before "Stuttering" or "Back to state N".
     */
    public List<Map<String, TlaValue>> trace() {
        List<Map<String, TlaValue>> states = new ArrayList<>();
        StringBuilder block = null;
        for (String line : output.split("\n")) {
            if (STATE_HEADER.matcher(line).find()) {
                addBlock(states, block);
                block = new StringBuilder();
            } else if (block != null && (line.isBlank() || TRACE_END.matcher(line).find())) {
                addBlock(states, block);
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        addBlock(states, block);
        return states;
    }

    private static void addBlock(List<Map<String, TlaValue>> states, StringBuilder block) {
        if (block != null && !block.toString().isBlank()) {
            states.add(TlaValueParser.parseState(block.toString()));
        }
    }

    /**
     * Reads the dumped state graph. Fails unless the run completed cleanly: after a violation or a
     * timeout the dump holds only part of the graph.
     */
    public StateGraph stateGraph() {
        if (!ok()) {
            throw new IllegalStateException("TLC did not complete cleanly (" + this + "), so its graph is partial:\n"
                    + output);
        }
        Path dot = dotFile.orElseThrow(() -> new IllegalStateException("TLC wrote no DOT dump:\n" + output));
        try {
            return DotGraph.read(dot).toStateGraph();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "TlcResult[exit " + exitCode + (timedOut ? ", timed out" : "") + ", " + distinctStates
                + " distinct states, " + statesGenerated + " generated, " + violation.map(Object::toString)
                .orElse("no violation") + ", " + elapsed.toMillis() + " ms]";
    }
}
