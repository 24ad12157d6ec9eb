package org.extmmap.model.tla;

/** Text that is not a value or state in the syntax TLC prints. */
public final class TlaParseException extends IllegalArgumentException {
    public TlaParseException(String message, String text, int position) {
        super(message + " at offset " + position + ": " + excerpt(text, position));
    }

    private static String excerpt(String text, int position) {
        int from = Math.max(0, position - 40);
        int to = Math.min(text.length(), position + 40);
        return (from > 0 ? "..." : "") + text.substring(from, position) + "\u2038"
                + text.substring(position, to) + (to < text.length() ? "..." : "");
    }
}
