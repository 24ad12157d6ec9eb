package org.extmmap.conformance.targets;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.extmmap.conformance.sys.Errno;
import org.extmmap.conformance.sys.Linux;
import org.extmmap.conformance.sys.PipeFds;
import org.extmmap.conformance.sys.SysResult;
import org.extmmap.conformance.sys.Syscalls;
import org.extmmap.model.Config;
import org.extmmap.model.End;
import org.extmmap.model.Prot;
import org.extmmap.model.Ret;

/**
 * What the driver knows of one spec process in the real kernel: its descriptors, the pages it
 * still maps and its MAP_PRIVATE copies, over the {@link KernelStream} all processes of the run
 * share (the pipe's stream, the mappings' addresses and the windows). A fork copies the
 * process's part and shares the rest, as the spec's Fork does. The {@link KernelCall}s change
 * it; {@link KernelRun} owns the thread the calls run on.
 */
final class KernelProcess {
    record Mapping(End end, long addr, long realLen, int len, int base) {
    }

    final int p; // the spec's number of this process
    final CallGate gate = new CallGate(); // holds a blocked call's return until its Wake
    final Syscalls sys; // the calls, made in this process (through the gate)
    final KernelStream stream;
    final Config cfg;
    final DataPattern pattern;
    final int run; // real bytes per abstract byte
    final int realPage = Linux.PAGE_SIZE; // real bytes per abstract page: always one real page
    final StreamBook book; // what went into the real stream, by position (the stream's)
    final Map<Integer, Mapping> mappings; // by id: the same addresses in every process (the stream's)
    final Map<Integer, int[]> windowLetters; // window contents, by abstract offset (shared pages)
    final Map<Integer, Integer> windowCommitted; // a window's commit point c (one per window)
    final Map<End, Integer> fds = new HashMap<>(); // descriptors of this process
    final Map<Integer, BitSet> mappedPages = new HashMap<>(); // real pages this process still maps, by id
    final Map<Integer, Map<Integer, Integer>> privateStores = new HashMap<>(); // its MAP_PRIVATE copies
    volatile int blockedWriteMoved; // letters a blocked write() had moved when it was seen blocked
    volatile int writeBase; // the pattern keys of the current write()'s runs start here

    private KernelProcess(int p, Syscalls sys, KernelStream stream) {
        this.p = p;
        this.sys = gate.wrap(sys);
        this.stream = stream;
        this.cfg = stream.cfg;
        this.pattern = stream.pattern;
        this.run = stream.run;
        this.book = stream.book;
        this.mappings = stream.mappings;
        this.windowLetters = stream.windowLetters;
        this.windowCommitted = stream.windowCommitted;
    }

    /** Process 1 of a run, holding both ends of a new pipe sized to the configuration's capacity. */
    static KernelProcess first(Syscalls sys, Config cfg, DataPattern pattern) {
        KernelProcess k = new KernelProcess(1, sys, new KernelStream(cfg, pattern));
        PipeFds pipe = sys.pipe2(Linux.O_CLOEXEC);
        if (!pipe.ok()) {
            throw new IllegalStateException("pipe2: " + Errno.name(pipe.errno()));
        }
        k.fds.put(End.R, pipe.readFd());
        k.fds.put(End.W, pipe.writeFd());
        // the spec's C / P page slots are the ring's slots; each run scales a byte to real size
        int slots = cfg.c() / cfg.p();
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("C / P = " + slots + " slots: Linux rounds a pipe's ring up to a"
                    + " power of two (F_SETPIPE_SZ), so choose C = P * 2^k");
        }
        sys.setPipeSize(pipe.writeFd(), slots * Linux.PAGE_SIZE).orThrow("F_SETPIPE_SZ");
        return k;
    }

    /** The child q of this process after a real fork: the same descriptors, pages and private copies. */
    KernelProcess forked(int q, Syscalls child) {
        KernelProcess c = new KernelProcess(q, child, stream);
        c.fds.putAll(fds);
        mappedPages.forEach((o, pages) -> c.mappedPages.put(o, (BitSet) pages.clone()));
        privateStores.forEach((o, stores) -> c.privateStores.put(o, new HashMap<>(stores)));
        return c;
    }

    int fd(End e) {
        Integer fd = fds.get(e);
        if (fd == null) {
            throw new IllegalStateException("process " + p + " holds no " + e + " descriptor");
        }
        return fd;
    }

    /** Whole runs queued in the pipe now (FIONREAD), or -1 when this process holds no read end. */
    int queuedRuns() {
        Integer r = fds.get(End.R);
        if (r == null) {
            return -1;
        }
        SysResult n = sys.fionread(r);
        return n.ok() ? (int) (n.value() / run) : -1;
    }

    /**
     * The letter a whole run of real bytes stands for: the run committed at that position, byte
     * for byte. Anything else (stale, shifted, foreign, zero where data belongs) is outside the spec.
     */
    int decodeRun(byte[] data, int from, int pos, String where) {
        int letter = book.letter(pos);
        if (letter < 0 && !stream.extend(pos, (l, key) -> stream.runIs(data, from, l, key))) {
            throw new OutsideSpec(where + ": bytes at a position nothing was committed to");
        }
        letter = book.letter(pos);
        long key = book.key(pos);
        for (int j = 0; j < run; j++) {
            if (data[from + j] != pattern.at(letter, key, j)) {
                throw new OutsideSpec(where + ": byte " + j + " of the run is " + (data[from + j] & 0xff) + ", not "
                        + (pattern.at(letter, key, j) & 0xff) + " of the committed run (stale, shifted or foreign"
                        + " data)");
            }
        }
        return letter;
    }

    /**
     * How many letters a blocked append (write() or msync() of len letters) has moved into the
     * stream so far, from the queue's growth in FIONREAD since {@code queuedBefore}. FIONREAD
     * counts only bytes past the read cursor; the append's first letters fill the positions that
     * claims took ahead of the committed stream, which it never counts. So a growth means all of
     * those were filled; no growth leaves the count unknown when some were waiting, unless the
     * append is atomic (at most a page: PIPE_BUF), and then it moved nothing.
     */
    int movedWhileBlocked(int queuedBefore, int len, Object call) {
        int now = queuedRuns();
        if (queuedBefore < 0 || now < 0) {
            throw new StepNotPerformed("a blocked call without a read end to measure it: " + call);
        }
        int ahead = Math.max(0, stream.readCursor - book.size());
        int growth = now - queuedBefore;
        if (growth > 0) {
            return ahead + growth;
        }
        if (ahead > 0 && len > cfg.p()) {
            throw new StepNotPerformed("a blocked call of more than a page filling claimed positions: its progress"
                    + " is not observable through FIONREAD: " + call);
        }
        return 0;
    }

    /**
     * Whether the call just made raised SIGPIPE: what the kernel did where the process can see it
     * (the agent's), else {@code inferred} from its EPIPE (this JVM ignores SIGPIPE).
     */
    boolean sigpipe(boolean inferred) {
        return sys.takeSigpipe().orElse(inferred);
    }

    /** The spec's name for an errno, or outside the spec. */
    static Ret retOf(int errno) {
        for (Ret r : Ret.values()) {
            if (r.tla().equals(Errno.name(errno))) {
                return r;
            }
        }
        throw new OutsideSpec("errno " + Errno.name(errno) + ", which the spec never returns");
    }

    static int protBits(Prot prot) {
        return switch (prot) {
            case R -> Linux.PROT_READ;
            case RW -> Linux.PROT_READ | Linux.PROT_WRITE;
            case RX -> Linux.PROT_READ | Linux.PROT_EXEC;
            case RWX -> Linux.PROT_READ | Linux.PROT_WRITE | Linux.PROT_EXEC;
        };
    }

    Mapping mapping(int o) {
        Mapping m = mappings.get(o);
        if (m == null || !mappedPages.containsKey(o)) {
            throw new IllegalStateException("process " + p + " has no mapping " + o);
        }
        return m;
    }

    /** Mapping o, whose page holding abstract offset i must still be mapped (else the address is not o's). */
    Mapping mappedAt(int o, int i) {
        Mapping m = mapping(o);
        int page = (int) ((long) i * run / realPage);
        if (!mappedPages.get(o).get(page)) {
            throw new IllegalStateException("offset " + i + " of mapping " + o + " lies in page " + page
                    + ", which is unmapped: the spec allows no access there");
        }
        return m;
    }

    /** Stores the run of letter v from source {@code key} at offset i of mapping o, through process_vm_writev. */
    SysResult poke(int o, int i, int v, long key) {
        return sys.poke(mappedAt(o, i).addr() + (long) i * run, pattern.run(v, key, run));
    }

    /** The runs of pages mapping o still has, or an error when it has none. */
    List<PageRuns.Run> mappedRuns(int o) {
        List<PageRuns.Run> runs = PageRuns.all(mappedPages.get(o));
        if (runs.isEmpty()) {
            throw new IllegalStateException("mapping " + o + " has no page mapped");
        }
        return runs;
    }

    /** Closes its descriptors (waking whatever still waits), then removes what it still maps. */
    void release() {
        fds.values().forEach(sys::close);
        fds.clear();
        mappedPages.forEach((o, pages) -> {
            Mapping m = mappings.get(o);
            for (PageRuns.Run r : PageRuns.all(pages)) { // holes may hold others' pages
                sys.munmap(m.addr() + (long) r.from() * realPage, (long) r.pages() * realPage);
            }
        });
    }
}
