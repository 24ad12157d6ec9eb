package org.extmmap.conformance.history;

import org.extmmap.model.Bytes;

/** The bytes of a history (conformance/histories.md): the writers' pattern and the readers' digest. */
public final class HistoryBytes {
    private HistoryBytes() {
    }

    /** pattern(key, j): never zero, so zero is always fill or a window byte never stored. */
    public static int pattern(long key, int j) {
        return 1 + (int) Long.remainderUnsigned(mix(key ^ ((long) j << 32)), 255);
    }

    /** The n bytes a write() or a store with this key carries. */
    public static Bytes run(long key, int n) {
        byte[] b = new byte[n];
        for (int j = 0; j < n; j++) {
            b[j] = (byte) pattern(key, j);
        }
        return Bytes.of(b);
    }

    /** FNV-1a 64 of the bytes, as 16 lower-case hex digits. */
    public static String digest(Bytes b) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < b.length(); i++) {
            h ^= b.at(i) & 0xff;
            h *= 0x100000001b3L;
        }
        return String.format("%016x", h);
    }

    private static long mix(long x) {
        x += 0x9e3779b97f4a7c15L;
        x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
        x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
        return x ^ (x >>> 31);
    }
}
