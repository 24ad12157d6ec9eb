package org.extmmap.conformance.targets;

/**
 * The real bytes that stand for an abstract byte (a letter of the spec's Alpha) at a stream
 * position: a run of bytes, each a function of a seed, the position and the index in the run.
 * Never zero, and different letters give different bytes at every index, so a stale, shifted or
 * foreign byte, or zero fill where data belongs, shows up at whatever byte of the run is probed.
 */
public record DataPattern(long seed) {
    /** The real byte at index j of the run for {@code letter} at abstract stream position pos. */
    public byte at(int letter, int pos, int j) {
        long h = seed ^ (pos * 0x9E3779B97F4A7C15L) ^ (j * 0xC2B2AE3D27D4EB4FL);
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        int noise = (int) Math.floorMod(h, 255L);
        return (byte) (1 + Math.floorMod(letter + noise, 255)); // 1..255: never the zero byte
    }

    /** The whole run of length n for {@code letter} at position pos. */
    public byte[] run(int letter, int pos, int n) {
        byte[] out = new byte[n];
        for (int j = 0; j < n; j++) {
            out[j] = at(letter, pos, j);
        }
        return out;
    }

    /** The letter among {@code alpha} whose run has {@code b} at index j, or -1. */
    public int letterOf(byte b, int pos, int j, Iterable<Byte> alpha) {
        for (byte v : alpha) {
            if (at(v & 0xff, pos, j) == b) {
                return v & 0xff;
            }
        }
        return -1;
    }
}
