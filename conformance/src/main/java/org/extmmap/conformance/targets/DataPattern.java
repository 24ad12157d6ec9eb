package org.extmmap.conformance.targets;

/**
 * The real bytes that stand for an abstract byte (a letter of the spec's Alpha) from a source:
 * a run of bytes, each a function of a seed, a key naming where the byte came from (its stream
 * position for write(), its window and offset for a window store) and the index in the run.
 * Never zero, and different letters give different bytes at every index, so a stale, shifted or
 * foreign byte, or zero fill where data belongs, shows up at whatever byte of the run is probed.
 */
public record DataPattern(long seed) {
    /** The real byte at index j of the run for {@code letter} from source {@code key}. */
    public byte at(int letter, long key, int j) {
        long h = seed ^ (key * 0x9E3779B97F4A7C15L) ^ (j * 0xC2B2AE3D27D4EB4FL);
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        int noise = (int) Math.floorMod(h, 255L);
        if (letter == 0) {
            return 0; // the spec's zero byte (window contents never stored) is real zeros
        }
        return (byte) (1 + Math.floorMod(letter + noise, 255)); // 1..255: never the zero byte
    }

    /** The whole run of length n for {@code letter} from source {@code key}. */
    public byte[] run(int letter, long key, int n) {
        byte[] out = new byte[n];
        for (int j = 0; j < n; j++) {
            out[j] = at(letter, key, j);
        }
        return out;
    }

    /** The letter among {@code alpha} whose run from {@code key} has {@code b} at index j, or -1. */
    public int letterOf(byte b, long key, int j, Iterable<Byte> alpha) {
        for (byte v : alpha) {
            if (at(v & 0xff, key, j) == b) {
                return v & 0xff;
            }
        }
        return -1;
    }
}
