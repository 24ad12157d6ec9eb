package org.extmmap.conformance.targets;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import org.extmmap.conformance.sys.Linux;
import org.extmmap.model.Config;

/**
 * What every process of a run shares in the real kernel: the pipe's stream as the driver knows
 * it (the data refinement: an abstract page is one real 4096-byte page, so an abstract byte is a
 * run of 4096/P real bytes filled from a {@link DataPattern}; runs are of equal length so that
 * Linux's page slots scale exactly, conformance/README.md "Capacity"), the read cursor, the
 * mappings' addresses (a fork keeps them) and the windows' contents and commit points (their
 * pages are shared).
 */
final class KernelStream {
    final Config cfg;
    final DataPattern pattern;
    final int run; // real bytes per abstract byte
    final StreamBook book = new StreamBook(); // what went into the real stream, by position
    final Map<Integer, KernelProcess.Mapping> mappings = new HashMap<>();
    final Map<Integer, int[]> windowLetters = new HashMap<>(); // window contents, by abstract offset
    final Map<Integer, Integer> windowCommitted = new HashMap<>(); // a window's commit point c
    int readCursor; // the abstract R, from the counts the kernel returned
    private final BitSet taken = new BitSet(); // positions a read() returned or a claim took
    private final Map<Integer, Integer> commitTargets = new HashMap<>(); // window: furthest e of a blocked msync
    private int writeKeys; // pattern keys handed to write() runs so far: each run's key is its own

    /** The first of n fresh pattern keys for the runs of one write(), which others may interleave with. */
    synchronized int writeKeys(int n) {
        int first = writeKeys;
        writeKeys += n;
        return first;
    }
    int mapped; // mapping ids handed out

    KernelStream(Config cfg, DataPattern pattern) {
        if (Linux.PAGE_SIZE % cfg.p() != 0) {
            throw new IllegalArgumentException("abstract page size " + cfg.p() + " does not divide 4096");
        }
        this.cfg = cfg;
        this.pattern = pattern;
        this.run = Linux.PAGE_SIZE / cfg.p();
    }

    /** Whether the run of real bytes at {@code data[from..]} is the one for {@code letter} from {@code key}. */
    boolean runIs(byte[] data, int from, int letter, long key) {
        for (int j = 0; j < run; j++) {
            if (data[from + j] != pattern.at(letter, key, j)) {
                return false;
            }
        }
        return true;
    }

    /** Positions [from, from + n) are another's now: a claim's, or what a read() returned. */
    synchronized void take(int from, int n) {
        taken.set(from, from + n);
    }

    synchronized boolean taken(int pos) {
        return taken.get(pos);
    }

    /**
     * Where the n runs of {@code data} sit in the stream: the read cursor when they are the runs
     * committed there, else the first position no read() or claim took from which all n are the
     * committed runs, or -1. Reads woken together return in the kernel's order, not the driver's:
     * the bytes say which read got which positions, and the spec's outcome (its pos) says whether
     * that order is one the spec allows. The read cursor goes first because a run can be a single
     * byte (P = 4096 real bytes): a lone byte may match an earlier position by chance.
     */
    synchronized int locate(byte[] data, int n) {
        if (matchesAt(readCursor, data, n)) {
            return readCursor;
        }
        for (int q = taken.nextClearBit(0); q <= book.size(); q = taken.nextClearBit(q + 1)) {
            if (q != readCursor && matchesAt(q, data, n)) {
                return q;
            }
        }
        return -1;
    }

    private boolean matchesAt(int q, byte[] data, int n) {
        for (int j = 0; j < n; j++) {
            int pos = q + j;
            int from = j * run;
            if (taken.get(pos) || !(pos < book.size() ? runIs(data, from, book.letter(pos), book.key(pos))
                    : extend(pos, (l, key) -> runIs(data, from, l, key)))) {
                return false;
            }
        }
        return true;
    }

    /** A blocked msync() of window o to e: its window may fill the stream up to e unseen (see {@link #extend}). */
    synchronized void committing(int o, int e) {
        commitTargets.merge(o, e, Math::max);
    }

    /** Whether a committed run is {@code letter} from {@code key}. */
    interface RunTest {
        boolean is(int letter, long key);
    }

    /**
     * Past the book's end: bytes a blocked msync() committed without the driver seeing it (the
     * queue's growth undercounts when a reader woken by the same commit drained part of it first).
     * A window fills the stream in order from its commit point, so the bytes at {@code pos} are
     * window o's offset c + (pos - size) if {@code test} says so and a commit of o to beyond that
     * offset was under way; the book then takes the window's bytes up to that offset.
     */
    synchronized boolean extend(int pos, RunTest test) {
        int ahead = pos - book.size();
        for (Map.Entry<Integer, Integer> t : commitTargets.entrySet()) {
            int o = t.getKey();
            int off = windowCommitted.get(o) + ahead;
            int[] letters = windowLetters.get(o);
            if (ahead >= 0 && off < Math.min(t.getValue(), letters.length)
                    && test.is(letters[off], StreamBook.windowKey(o, off))) {
                for (int j = windowCommitted.get(o); j <= off; j++) {
                    book.append(letters[j], StreamBook.windowKey(o, j));
                }
                windowCommitted.put(o, off + 1);
                return true;
            }
        }
        return false;
    }
}
