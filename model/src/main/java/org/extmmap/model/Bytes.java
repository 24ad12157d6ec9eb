package org.extmmap.model;

import java.util.Arrays;

/**
 * An immutable byte string: stream contents, buffer, window data, write() arguments. Compact, so
 * that real page sizes and capacities stay cheap.
 */
public final class Bytes {
    /** The zero byte: window contents and zero fill (the spec's "0"). */
    public static final int ZERO = 0;
    /** No byte: a claimed byte not (or no longer) held by its mapping (the spec's "-"). */
    public static final int NONE = -1;
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] bytes;
    private int hash; // cached: states hash their streams often, and at real sizes they are long

    private Bytes(byte[] owned) {
        this.bytes = owned;
    }

    public static Bytes of(byte... bytes) {
        return new Bytes(bytes.clone());
    }

    /** From byte values 0..255, e.g. {@code Bytes.of("ab")} for the letters a, b. */
    public static Bytes of(String latin1) {
        byte[] b = new byte[latin1.length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) latin1.charAt(i);
        }
        return new Bytes(b);
    }

    public static Bytes zeros(int n) {
        return new Bytes(new byte[n]);
    }

    public int length() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    /** The byte at 0-based index i, as 0..255. */
    public int at(int i) {
        return bytes[i] & 0xff;
    }

    /** Bytes [from, to), 0-based. */
    public Bytes slice(int from, int to) {
        if (from == 0 && to == bytes.length) {
            return this;
        }
        return new Bytes(Arrays.copyOfRange(bytes, from, to));
    }

    /** Bytes from index on; empty past the end, as SubSeq(s, m, Len(s)) is for m > Len(s). */
    public Bytes from(int index) {
        return index >= bytes.length ? EMPTY : slice(index, bytes.length);
    }

    public Bytes take(int n) {
        return slice(0, n);
    }

    public Bytes append(Bytes more) {
        if (more.bytes.length == 0) {
            return this;
        }
        byte[] b = Arrays.copyOf(bytes, bytes.length + more.bytes.length);
        System.arraycopy(more.bytes, 0, b, bytes.length, more.bytes.length);
        return new Bytes(b);
    }

    public Bytes with(int index, int value) {
        byte[] b = bytes.clone();
        b[index] = (byte) value;
        return new Bytes(b);
    }

    public byte[] toArray() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(bytes);
            hash = h;
        }
        return h;
    }

    /** Shown whole up to this length; longer ones (real-size walks) by their head and length. */
    private static final int SHOWN = 64;

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Bytes[");
        for (int i = 0; i < Math.min(bytes.length, SHOWN); i++) {
            int v = bytes[i] & 0xff;
            sb.append(v >= 0x21 && v < 0x7f ? Character.toString(v) : "\\x" + Integer.toHexString(v));
        }
        if (bytes.length > SHOWN) {
            sb.append("... (").append(bytes.length).append(" bytes)");
        }
        return sb.append(']').toString();
    }
}
