package org.extmmap.conformance.targets;

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
}
