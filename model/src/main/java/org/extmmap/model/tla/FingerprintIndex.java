package org.extmmap.model.tla;

/** Open-addressing map from TLC state fingerprints to dense indices, without boxing. */
final class FingerprintIndex {
    private long[] keys = new long[1 << 12];
    private int[] values = new int[1 << 12]; // index + 1; 0 marks an empty slot
    private int size;

    /** The index of {@code fingerprint}, assigning {@code size()} to a new one. */
    int indexOf(long fingerprint) {
        int mask = keys.length - 1;
        int slot = mix(fingerprint) & mask;
        while (values[slot] != 0) {
            if (keys[slot] == fingerprint) {
                return values[slot] - 1;
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = fingerprint;
        values[slot] = ++size;
        if (size * 2 > keys.length) {
            grow();
        }
        return size - 1;
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != 0) {
                int slot = mix(oldKeys[i]) & mask;
                while (values[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
    }

    private static int mix(long x) {
        x *= 0x9E3779B97F4A7C15L;
        return (int) (x ^ (x >>> 32));
    }
}
