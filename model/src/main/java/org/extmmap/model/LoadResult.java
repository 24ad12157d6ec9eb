package org.extmmap.model;

/** What the spec's LoadRule gives for a load (or a store's fault): a byte, SIGBUS, or "block". */
public sealed interface LoadResult {
    Blocks BLOCKS = new Blocks();
    Sigbus SIGBUS = new Sigbus();

    /** The page is resident: the byte it shows (a letter, {@link Bytes#ZERO}, or a private store). */
    record Value(int v) implements LoadResult {
    }

    /** EOF and the page holds no stream byte. */
    record Sigbus() implements LoadResult {
    }

    /** The page's bytes are still to come: the access waits. */
    record Blocks() implements LoadResult {
    }
}
