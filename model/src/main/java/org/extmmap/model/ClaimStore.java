package org.extmmap.model;

import java.util.Arrays;

/**
 * What a claim holds, by offset: a byte once it was pulled into a mapped page, else {@link
 * Bytes#NONE} (not arrived yet, or dropped because no process maps that page). Immutable.
 */
public final class ClaimStore {
    private final short[] cells; // 0..255, or NONE

    private ClaimStore(short[] owned) {
        this.cells = owned;
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

    /** This store with offsets [from, to) set from {@code source} starting at {@code sourceFrom}, where {@code keep} allows. */
    ClaimStore fill(int from, int to, Bytes source, int sourceFrom, java.util.function.IntPredicate keep) {
        short[] c = null;
        for (int i = from; i < to; i++) {
            if (keep.test(i)) {
                short v = (short) source.at(sourceFrom + i - from);
                if (cells[i] != v) {
                    c = c == null ? cells.clone() : c;
                    c[i] = v;
                }
            }
        }
        return c == null ? this : new ClaimStore(c);
    }

    /** This store with every offset that {@code keep} rejects set to NONE. */
    ClaimStore forgetUnless(java.util.function.IntPredicate keep) {
        short[] c = null;
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] != Bytes.NONE && !keep.test(i)) {
                c = c == null ? cells.clone() : c;
                c[i] = (short) Bytes.NONE;
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
        return Arrays.hashCode(cells);
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
