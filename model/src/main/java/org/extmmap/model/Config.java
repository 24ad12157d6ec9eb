package org.extmmap.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.extmmap.model.tla.BoolValue;
import org.extmmap.model.tla.IntValue;
import org.extmmap.model.tla.SetValue;
import org.extmmap.model.tla.StringValue;
import org.extmmap.model.tla.TlaValue;
import org.extmmap.model.tla.TlaValueParser;

/**
 * The constants of spec/ExtMmap.tla. {@code maxLen}, {@code maxIO}, {@code maxW} and {@code maxObjs}
 * bound what is explored (mapping lengths, read()/write() sizes, stream length, number of
 * mappings); they are the model's only limits.
 *
 * @param alpha the byte values writers use (a letter of the spec is its character code); never 0
 * @param ops the calls this configuration explores, named as in the spec ("read", "mmaperr", ...)
 * @param wakeAtOnce the spec's WakeAtOnce: a wake-up is the next step (true in every graph
 *     configuration); false lets other steps come first, as in free-running processes
 */
public record Config(int nProcs, int p, int c, int maxLen, int maxIO, int maxW, int maxObjs, List<Byte> alpha,
        Set<String> ops, boolean wakeAtOnce) {

    /** Every call of the spec: a configuration with all of them explores everything. */
    public static final Set<String> ALL_OPS = Set.of("read", "write", "close", "poll", "claimend", "mmap", "mmaperr",
            "load", "store", "msync", "munmap", "mremap", "mprotect", "fork", "exit", "signal", "kill");

    private static final Pattern KEYWORD = Pattern.compile(
            "^\\s*(SPECIFICATION|INIT|NEXT|INVARIANTS?|PROPERTY|PROPERTIES|CONSTANTS?|CONSTRAINTS?|ACTION_CONSTRAINTS?"
                    + "|SYMMETRY|VIEW|ALIAS|POSTCONDITION|CHECK_DEADLOCK)\\b", Pattern.MULTILINE);
    private static final Pattern ASSIGNMENT = Pattern.compile("(\\w+)\\s*=");

    public Config {
        alpha = List.copyOf(alpha);
        ops = Set.copyOf(ops);
        if (nProcs < 1 || p < 1 || c < 1 || maxLen < 0 || maxIO < 0 || maxW < 0 || maxObjs < 0) {
            throw new IllegalArgumentException("constants out of range: " + nProcs + " " + p + " " + c);
        }
        if (c % p != 0) {
            throw new IllegalArgumentException("C = " + c + " is not a whole number of P = " + p
                    + " byte page slots (the spec ASSUMEs C % P = 0)");
        }
        if (alpha.contains((byte) 0)) {
            throw new IllegalArgumentException("Alpha must not contain the zero byte");
        }
        if (!ALL_OPS.containsAll(ops)) {
            throw new IllegalArgumentException("unknown calls in Ops: " + ops);
        }
    }

    /** A configuration whose wake-ups come at once, as every graph configuration's do. */
    public Config(int nProcs, int p, int c, int maxLen, int maxIO, int maxW, int maxObjs, List<Byte> alpha,
            Set<String> ops) {
        this(nProcs, p, c, maxLen, maxIO, maxW, maxObjs, alpha, ops, true);
    }

    /** The same constants with WakeAtOnce set to {@code wakeAtOnce}. */
    public Config withWakeAtOnce(boolean wakeAtOnce) {
        return new Config(nProcs, p, c, maxLen, maxIO, maxW, maxObjs, alpha, ops, wakeAtOnce);
    }

    public boolean allows(String op) {
        return ops.contains(op);
    }

    /** Pages a mapping of n bytes spans: NPages(n). */
    public int pages(int n) {
        return (n + p - 1) / p;
    }

    /** Reads the CONSTANTS section of a TLC configuration file, so that the .cfg stays the one source. */
    public static Config read(Path cfg) {
        try {
            return parse(Files.readString(cfg));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Config parse(String cfgText) {
        String text = cfgText.replaceAll("\\(\\*(?s:.*?)\\*\\)", " ").replaceAll("\\\\\\*[^\n]*", "");
        Map<String, TlaValue> constants = new HashMap<>();
        Matcher k = KEYWORD.matcher(text);
        List<int[]> sections = new ArrayList<>();
        while (k.find()) {
            sections.add(new int[] {k.start(1), k.end(1)});
        }
        for (int s = 0; s < sections.size(); s++) {
            if (!text.substring(sections.get(s)[0], sections.get(s)[1]).startsWith("CONSTANT")) {
                continue;
            }
            int end = s + 1 < sections.size() ? sections.get(s + 1)[0] : text.length();
            constants.putAll(assignments(text.substring(sections.get(s)[1], end)));
        }
        List<Byte> alpha = new ArrayList<>();
        for (TlaValue v : set(constants, "Alpha").elements()) {
            String letter = ((StringValue) v).value();
            if (letter.length() != 1 || letter.charAt(0) > 255 || letter.equals("0") || letter.equals("-")) {
                throw new IllegalArgumentException("Alpha holds one-character strings other than \"0\" and \"-\": "
                        + letter);
            }
            alpha.add((byte) letter.charAt(0));
        }
        alpha.sort(null);
        List<String> ops = set(constants, "Ops").elements().stream().map(v -> ((StringValue) v).value()).toList();
        return new Config(integer(constants, "NProcs"), integer(constants, "P"), integer(constants, "C"),
                integer(constants, "MaxLen"), integer(constants, "MaxIO"), integer(constants, "MaxW"),
                integer(constants, "MaxObjs"), alpha, Set.copyOf(ops), bool(constants, "WakeAtOnce"));
    }

    // "Name = value" pairs; a value runs to the next assignment (sets span lines).
    private static Map<String, TlaValue> assignments(String section) {
        Map<String, TlaValue> out = new HashMap<>();
        Matcher m = ASSIGNMENT.matcher(section);
        List<int[]> spans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int depth = 0;
        int i = 0;
        // find "Name =" only at nesting depth 0 and outside strings
        while (i < section.length()) {
            char ch = section.charAt(i);
            if (ch == '"') {
                i = section.indexOf('"', i + 1) + 1;
                continue;
            }
            if (ch == '{' || ch == '<' || ch == '[' || ch == '(') {
                depth++;
            } else if (ch == '}' || ch == '>' || ch == ']' || ch == ')') {
                depth--;
            } else if (depth == 0 && m.find(i) && m.start() == i
                    && (i == 0 || !Character.isLetterOrDigit(section.charAt(i - 1)))) {
                names.add(m.group(1));
                spans.add(new int[] {m.start(), m.end()});
                i = m.end();
                continue;
            }
            i++;
        }
        for (int a = 0; a < names.size(); a++) {
            int end = a + 1 < names.size() ? spans.get(a + 1)[0] : section.length();
            out.put(names.get(a), TlaValueParser.parseValue(section.substring(spans.get(a)[1], end).strip()));
        }
        return out;
    }

    private static int integer(Map<String, TlaValue> constants, String name) {
        if (!(constants.get(name) instanceof IntValue v)) {
            throw new IllegalArgumentException("constant " + name + " must be an integer: " + constants.get(name));
        }
        return Math.toIntExact(v.value());
    }

    private static boolean bool(Map<String, TlaValue> constants, String name) {
        if (!(constants.get(name) instanceof BoolValue v)) {
            throw new IllegalArgumentException("constant " + name + " must be TRUE or FALSE: " + constants.get(name));
        }
        return v.value();
    }

    private static SetValue set(Map<String, TlaValue> constants, String name) {
        if (!(constants.get(name) instanceof SetValue v)) {
            throw new IllegalArgumentException("constant " + name + " must be a set: " + constants.get(name));
        }
        return v;
    }
}
