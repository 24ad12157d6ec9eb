package org.extmmap.model.tla;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * The state graph TLC writes with {@code -dump dot,actionlabels FILE}, read line by line.
 *
 * <p>TLC keys nodes by state fingerprint and writes one node line per distinct state
 * ({@code FP [label="<state>",style = filled]} marks an initial state) and one edge line per
 * generated transition ({@code FP -> FP [label="Action",...];}), possibly before the target's node
 * line and possibly repeated. Everything else (rank groups, braces, graph attributes) is ignored.
 * Without {@code actionlabels} edges carry no label and read as label {@code ""}.
 */
public final class DotGraph {
    private final long[] fingerprints;
    private final List<Map<String, TlaValue>> states;
    private final BitSet initial;
    private final int[] edgeFrom;
    private final int[] edgeLabel;
    private final int[] edgeTo;
    private final List<String> labels;

    private DotGraph(long[] fingerprints, List<Map<String, TlaValue>> states, BitSet initial, int[] edgeFrom,
            int[] edgeLabel, int[] edgeTo, List<String> labels) {
        this.fingerprints = fingerprints;
        this.states = states;
        this.initial = initial;
        this.edgeFrom = edgeFrom;
        this.edgeLabel = edgeLabel;
        this.edgeTo = edgeTo;
        this.labels = labels;
    }

    public static DotGraph read(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(r, file.toString());
        }
    }

    public static DotGraph read(Reader reader, String sourceName) throws IOException {
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
        return new Loader(sourceName).load(in);
    }

    public int stateCount() {
        return states.size();
    }

    public long fingerprint(int state) {
        return fingerprints[state];
    }

    public Map<String, TlaValue> state(int index) {
        return states.get(index);
    }

    public boolean isInitial(int state) {
        return initial.get(state);
    }

    /** Edge lines as written, duplicates included. */
    public int edgeCount() {
        return edgeFrom.length;
    }

    public Edge edge(int index) {
        return new Edge(edgeFrom[index], labels.get(edgeLabel[index]), edgeTo[index]);
    }

    public StateGraph toStateGraph() {
        StateGraph.Builder b = StateGraph.builder();
        int[] toGraph = new int[states.size()];
        for (int s = 0; s < states.size(); s++) {
            toGraph[s] = b.addState(states.get(s));
            if (initial.get(s)) {
                b.markInitial(toGraph[s]);
            }
        }
        for (int e = 0; e < edgeFrom.length; e++) {
            b.addEdge(toGraph[edgeFrom[e]], labels.get(edgeLabel[e]), toGraph[edgeTo[e]]);
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "DotGraph[" + stateCount() + " states, " + edgeCount() + " edge lines]";
    }

    private static final class Loader {
        private final String source;
        private final FingerprintIndex index = new FingerprintIndex();
        private final List<Map<String, TlaValue>> states = new ArrayList<>();
        private final List<Long> fingerprintsInOrder = new ArrayList<>();
        private final BitSet initial = new BitSet();
        private final IntList from = new IntList();
        private final IntList label = new IntList();
        private final IntList to = new IntList();
        private final List<String> labels = new ArrayList<>();
        private final Map<String, Integer> labelIds = new java.util.HashMap<>();
        private final TlaValueParser parser = new TlaValueParser();
        private int lineNo;

        Loader(String source) {
            this.source = source;
        }

        DotGraph load(BufferedReader in) throws IOException {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (!line.isEmpty() && (line.charAt(0) == '-' || Character.isDigit(line.charAt(0)))) {
                    nodeOrEdge(line);
                }
            }
            long[] fps = new long[index.size()];
            for (int i = 0; i < fps.length; i++) {
                fps[i] = fingerprintsInOrder.get(i);
                if (states.get(i) == null) {
                    throw new IOException(source + ": state " + fps[i] + " has edges but no node line"
                            + " (was the dump cut short, e.g. by a violation or a timeout?)");
                }
            }
            return new DotGraph(fps, List.copyOf(states), initial, from.toArray(), label.toArray(), to.toArray(),
                    List.copyOf(labels));
        }

        private void nodeOrEdge(String line) throws IOException {
            int sp = line.indexOf(' ');
            if (sp < 0) {
                throw error("no space after node id");
            }
            int id = node(parseLong(line, 0, sp));
            if (line.startsWith("-> ", sp + 1)) {
                int start = sp + 4;
                int end = start;
                while (end < line.length() && (line.charAt(end) == '-' || Character.isDigit(line.charAt(end)))) {
                    end++;
                }
                int target = node(parseLong(line, start, end));
                String l = attribute(line, end, "label");
                from.add(id);
                label.add(labelIds.computeIfAbsent(l == null ? "" : l, k -> {
                    labels.add(k);
                    return labels.size() - 1;
                }));
                to.add(target);
            } else {
                String text = attribute(line, sp, "label");
                if (text == null) {
                    throw error("node line without label");
                }
                if (states.get(id) != null) {
                    throw error("second node line for state " + fingerprintsInOrder.get(id));
                }
                try {
                    states.set(id, parser.state(text));
                } catch (TlaParseException e) {
                    throw error(e.getMessage());
                }
                if (line.lastIndexOf("style = filled") > line.lastIndexOf('"')) { // outside the label
                    initial.set(id);
                }
            }
        }

        private int node(long fingerprint) {
            int i = index.indexOf(fingerprint);
            if (i == states.size()) {
                states.add(null);
                fingerprintsInOrder.add(fingerprint);
            }
            return i;
        }

        private long parseLong(String line, int from, int to) throws IOException {
            try {
                return Long.parseLong(line, from, to, 10);
            } catch (NumberFormatException e) {
                throw error("bad node id");
            }
        }

        /** The unescaped value of {@code name="..."} in the attribute list after {@code from}, or null. */
        private String attribute(String line, int from, String name) throws IOException {
            int at = line.indexOf(name + "=\"", from);
            if (at < 0) {
                return null;
            }
            StringBuilder sb = new StringBuilder();
            for (int i = at + name.length() + 2; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\' && i + 1 < line.length()) {
                    char e = line.charAt(++i);
                    sb.append(e == 'n' ? '\n' : e); // TLC escapes \ and " and writes newlines as \n
                } else {
                    sb.append(c);
                }
            }
            throw error("unterminated " + name);
        }

        private IOException error(String message) {
            return new IOException(source + ":" + lineNo + ": " + message);
        }
    }
}
