package org.extmmap.conformance.targets;

import java.util.ArrayList;
import java.util.List;

/**
 * What the harness committed to the real stream, by abstract position: the letter and the key of
 * the pattern its run was filled from. Decoding a run read back needs both: a byte is right only
 * if it is the committed letter's pattern byte from the committed source. Shared by the calling
 * thread and the spec process's thread.
 */
final class StreamBook {
    private final List<Integer> letters = new ArrayList<>();
    private final List<Long> keys = new ArrayList<>();

    synchronized void append(int letter, long key) {
        letters.add(letter);
        keys.add(key);
    }

    synchronized int size() {
        return letters.size();
    }

    /** The committed letter at pos, or -1 when nothing was committed there (yet). */
    synchronized int letter(int pos) {
        return pos < letters.size() ? letters.get(pos) : -1;
    }

    synchronized long key(int pos) {
        return keys.get(pos);
    }

    /** The key of the n-th run written by write() in a run (KernelStream#writeKeys). */
    static long writeKey(int n) {
        return n;
    }

    /** The key for a MAP_PRIVATE store at offset i of claim o (never part of the stream). */
    static long privateKey(int o, int i) {
        return (2L << 40) | ((long) o << 20) | i;
    }

    /** The key for the byte at offset i of window o: fixed when stored, whatever position it gets. */
    static long windowKey(int o, int i) {
        return (1L << 40) | ((long) o << 20) | i;
    }
}
