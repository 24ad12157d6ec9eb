package org.extmmap.model.tla;

import java.util.Objects;

/** A TLA+ string. */
public record StringValue(String value) implements TlaValue {
    public StringValue {
        Objects.requireNonNull(value);
    }

    @Override
    public String toString() {
        return quote(value);
    }

    /** TLA+ string literal with the escapes TLC uses when it prints. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\f' -> sb.append("\\f");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    static boolean isIdentifier(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        boolean letter = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetter(c)) {
                letter = true;
            } else if (!Character.isDigit(c) && c != '_') {
                return false;
            }
        }
        return letter; // TLA+ identifiers need a letter; "12" would read back as a number
    }
}
