package org.extmmap.model;

/** A mapping made by mmap(), by id: a claim of the read end, a window of the write end, or a window gone. */
public sealed interface Obj {

    /** Stream bytes [base, base + len) handed to this mapping; {@code got} holds those pulled into mapped pages. */
    record Claim(int base, int len, boolean shared, boolean rw, ClaimStore got) implements Obj {
        Claim withGot(ClaimStore g) {
            return g == got ? this : new Claim(base, len, shared, rw, g);
        }
    }

    /** A write window of len bytes; bytes [0, c) have been committed to the stream. */
    record Window(int len, Bytes data, int c) implements Obj {
    }

    /** A window no process maps any more: it went with its uncommitted bytes. */
    record Gone() implements Obj {
        public static final Gone INSTANCE = new Gone();
    }
}
