package org.extmmap.model.tla;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses values and states in the syntax TLC prints (in its output and in DOT dumps), including
 * the line breaks and indentation of its pretty printer.
 *
 * <p>A state is either {@code /\ var = value} conjuncts, one per line (a conjunct starts where
 * {@code /\} is the first non-blank of a line), or a single {@code var = value} (how TLC prints a
 * spec with one variable).
 *
 * <p>An instance remembers the value text of each variable it has parsed, so that states sharing
 * a variable's value share one Java object: that keeps graphs of a million states small and makes
 * parsing them fast. The static methods parse without that cache.
 */
public final class TlaValueParser {
    private static final int CACHE_LIMIT = 200_000;

    private final Map<String, TlaValue> cache = new HashMap<>();

    public static TlaValue parseValue(String text) {
        return new Reader(text).wholeValue();
    }

    public static Map<String, TlaValue> parseState(String text) {
        return new TlaValueParser().state(text);
    }

    /** Parses a state, sharing equal variable values with the states this parser saw before. */
    public Map<String, TlaValue> state(String text) {
        Map<String, TlaValue> vars = new LinkedHashMap<>();
        for (String conjunct : conjuncts(text)) {
            int eq = conjunct.indexOf('=');
            String name = eq < 0 ? "" : conjunct.substring(0, eq).strip();
            if (!StringValue.isIdentifier(name)) {
                throw new TlaParseException("expected 'variable = value'", conjunct, 0);
            }
            TlaValue value = cachedValue(conjunct.substring(eq + 1).strip());
            if (vars.put(name, value) != null) {
                throw new TlaParseException("variable " + name + " twice", text, 0);
            }
        }
        if (vars.isEmpty()) {
            throw new TlaParseException("empty state", text, 0);
        }
        return Map.copyOf(vars);
    }

    private TlaValue cachedValue(String valueText) {
        TlaValue v = cache.get(valueText);
        if (v == null) {
            v = parseValue(valueText);
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear(); // crude but bounded; values already shared stay shared
            }
            cache.put(valueText, v);
        }
        return v;
    }

    private static List<String> conjuncts(String text) {
        List<String> out = new ArrayList<>();
        int start = -1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            int lineStart = i;
            while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                i++;
            }
            if (text.startsWith("/\\", i)) {
                if (start >= 0) {
                    out.add(text.substring(start, lineStart));
                }
                start = i + 2;
            } else if (start < 0 && i < n && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                start = lineStart; // single-variable form without /\
            }
            int nl = text.indexOf('\n', i);
            i = nl < 0 ? n : nl + 1;
        }
        if (start >= 0) {
            out.add(text.substring(start));
        }
        return out;
    }

    /** Recursive descent over one value. */
    private static final class Reader {
        private final String s;
        private int pos;

        Reader(String s) {
            this.s = s;
        }

        TlaValue wholeValue() {
            TlaValue v = value();
            skipBlanks();
            if (pos != s.length()) {
                throw error("trailing text");
            }
            return v;
        }

        private TlaValue value() {
            skipBlanks();
            if (pos >= s.length()) {
                throw error("value expected");
            }
            char c = s.charAt(pos);
            if (c == '"') {
                return string();
            } else if (s.startsWith("<<", pos)) {
                return sequence();
            } else if (c == '[') {
                return record();
            } else if (c == '{') {
                return set();
            } else if (c == '(') {
                return function();
            } else if (c == '-' || Character.isDigit(c)) {
                return numberOrInterval();
            } else if (Character.isLetter(c) || c == '_') {
                String id = identifier();
                return switch (id) {
                    case "TRUE" -> TlaValue.TRUE;
                    case "FALSE" -> TlaValue.FALSE;
                    default -> TlaValue.model(id);
                };
            }
            throw error("unexpected character '" + c + "'");
        }

        private TlaValue sequence() {
            pos += 2;
            List<TlaValue> elements = new ArrayList<>();
            if (!tryConsume(">>")) {
                do {
                    elements.add(value());
                } while (tryConsume(","));
                expect(">>");
            }
            return TlaValue.seq(elements);
        }

        private TlaValue record() {
            pos++;
            Map<String, TlaValue> fields = new LinkedHashMap<>();
            if (!tryConsume("]")) {
                do {
                    skipBlanks();
                    int at = pos;
                    String field = identifier();
                    expect("|->");
                    if (fields.put(field, value()) != null) {
                        pos = at;
                        throw error("duplicate field " + field);
                    }
                } while (tryConsume(","));
                expect("]");
            }
            return TlaValue.record(fields);
        }

        private TlaValue set() {
            pos++;
            List<TlaValue> elements = new ArrayList<>();
            if (!tryConsume("}")) {
                do {
                    elements.add(value());
                } while (tryConsume(","));
                expect("}");
            }
            return TlaValue.set(elements);
        }

        private TlaValue function() {
            pos++;
            Map<TlaValue, TlaValue> mapping = new LinkedHashMap<>();
            do {
                int at = pos;
                TlaValue key = value();
                expect(":>");
                if (mapping.put(key, value()) != null) {
                    pos = at;
                    throw error("duplicate key " + key);
                }
            } while (tryConsume("@@"));
            expect(")");
            return TlaValue.function(mapping);
        }

        private TlaValue numberOrInterval() {
            long lo = integer();
            if (tryConsume("..")) {
                skipBlanks();
                return TlaValue.interval(lo, integer()); // TLC prints unevaluated intervals as lo..hi
            }
            return TlaValue.of(lo);
        }

        private long integer() {
            int start = pos;
            if (pos < s.length() && s.charAt(pos) == '-') {
                pos++;
            }
            int digits = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (pos == digits) {
                pos = start;
                throw error("integer expected");
            }
            try {
                return Long.parseLong(s, start, pos, 10);
            } catch (NumberFormatException e) {
                pos = start;
                throw error("integer out of range");
            }
        }

        private TlaValue string() {
            int start = pos++;
            StringBuilder sb = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    return TlaValue.str(sb.toString());
                }
                if (c == '\\') {
                    if (pos >= s.length()) {
                        break;
                    }
                    char e = s.charAt(pos++);
                    switch (e) {
                        case 'n' -> sb.append('\n');
                        case 't' -> sb.append('\t');
                        case 'r' -> sb.append('\r');
                        case 'f' -> sb.append('\f');
                        case '"', '\\' -> sb.append(e);
                        default -> {
                            pos -= 2;
                            throw error("unknown escape");
                        }
                    }
                } else {
                    sb.append(c);
                }
            }
            pos = start;
            throw error("unterminated string");
        }

        private String identifier() {
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            if (pos == start) {
                throw error("identifier expected");
            }
            return s.substring(start, pos);
        }

        private boolean tryConsume(String token) {
            skipBlanks();
            if (s.startsWith(token, pos)) {
                pos += token.length();
                return true;
            }
            return false;
        }

        private void expect(String token) {
            if (!tryConsume(token)) {
                throw error("'" + token + "' expected");
            }
        }

        private void skipBlanks() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private TlaParseException error(String message) {
            return new TlaParseException(message, s, pos);
        }
    }
}
