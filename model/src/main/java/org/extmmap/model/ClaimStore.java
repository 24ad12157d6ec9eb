package org.extmmap.model;

import java.util.Arrays;

/**
 * What a claim holds, by offset: a byte once it was pulled into a mapped page, else {@link
 * Bytes#NONE} (not arrived yet, or dropped because no process maps that page). Immutable.
 */
public final class ClaimStore {
    private final short[] cells; // 0..255, or NONE
    private final boolean holdsNothing; // a history search collects every claim at every step
    private int hash; // cached: a history search hashes every claim of every state it memoizes

    private ClaimStore(short[] owned) {
        this.cells = owned;
        boolean none = true;
        for (short v : owned) {
            if (v != Bytes.NONE) {
                none = false;
                break;
            }
        }
        this.holdsNothing = none;
    }

    public static ClaimStore empty(int length) {
        short[] c = new short[length];
        Arrays.fill(c, (short) Bytes.NONE);
        return new ClaimStore(c);
    }

    public int length() {
        return cells.length;
    }

    /** The byte at 0-based offset i (0..255), or {@link Bytes#NONE}. */
    public int at(int i) {
        return cells[i];
    }

    /**
     * This store with offsets [from, to) set from {@code source} starting at {@code sourceFrom}, on
     * the pages {@code keepPage} allows (pages of {@code p} bytes, numbered from 0; asked once each).
     */
    ClaimStore fill(int from, int to, Bytes source, int sourceFrom, java.util.function.IntPredicate keepPage, int p) {
        short[] c = null;
        for (int i = from; i < to; i = (i / p + 1) * p) {
            if (!keepPage.test(i / p)) {
                continue;
            }
            for (int j = i; j < Math.min(to, (i / p + 1) * p); j++) {
                short v = (short) source.at(sourceFrom + j - from);
                if (cells[j] != v) {
                    c = c == null ? cells.clone() : c;
                    c[j] = v;
                }
            }
        }
        return c == null ? this : new ClaimStore(c);
    }

    /**
     * This store with every byte of the pages {@code keepPage} rejects (pages of {@code p} bytes,
     * numbered from 0) set to NONE. Whole pages, and nothing to scan in a store holding nothing:
     * a history search collects every claim at every step.
     */
    ClaimStore forgetPagesUnless(java.util.function.IntPredicate keepPage, int p) {
        if (holdsNothing) {
            return this;
        }
        short[] c = null;
        for (int from = 0; from < cells.length; from += p) {
            if (keepPage.test(from / p)) {
                continue;
            }
            for (int i = from; i < Math.min(cells.length, from + p); i++) {
                if (cells[i] != Bytes.NONE) {
                    c = c == null ? cells.clone() : c;
                    c[i] = (short) Bytes.NONE;
                }
            }
        }
        return c == null ? this : new ClaimStore(c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClaimStore other && Arrays.equals(cells, other.cells);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(cells);
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ClaimStore[");
        for (short v : cells) {
            sb.append(v == Bytes.NONE ? "-" : v >= 0x21 && v < 0x7f ? Character.toString(v) : "\\x" + Integer.toHexString(v));
        }
        return sb.append(']').toString();
    }
}
