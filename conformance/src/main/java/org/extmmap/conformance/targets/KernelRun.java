package org.extmmap.conformance.targets;

import java.io.ByteArrayOutputStream;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.extmmap.conformance.sys.Errno;
import org.extmmap.conformance.sys.Linux;
import org.extmmap.conformance.sys.PipeFds;
import org.extmmap.conformance.sys.PollResult;
import org.extmmap.conformance.sys.ReadResult;
import org.extmmap.conformance.sys.SysResult;
import org.extmmap.conformance.sys.Syscalls;
import org.extmmap.model.Action;
import org.extmmap.model.Bytes;
import org.extmmap.model.Config;
import org.extmmap.model.End;
import org.extmmap.model.FaultOp;
import org.extmmap.model.Flags;
import org.extmmap.model.MmapTry;
import org.extmmap.model.Outcome;
import org.extmmap.model.Prot;
import org.extmmap.model.Ret;

/**
 * One test against the real kernel: a real pipe, process 1 as a thread of this JVM.
 *
 * <p>Data refinement: an abstract page is one real 4096-byte page, so an abstract byte is a run of
 * 4096/P real bytes filled from a {@link DataPattern}; a load probes the first, middle and last
 * byte of its run through process_vm_readv (EFAULT stands for SIGBUS). Runs are of equal length
 * so that Linux's page slots scale exactly (conformance/README.md, "Capacity").
 *
 * <p>Each call runs on the process's own thread; a call that stays incomplete (see {@link
 * #await}) is "block", and the later Wake step waits (generously) for it to finish. Steps this
 * driver does not perform (fork, exit, signals, kill, more processes) throw {@link
 * StepNotPerformed}.
 */
public final class KernelRun implements Target.Run {
    private record Mapping(End end, long addr, long realLen, int len, int base) {
    }

    private final Syscalls sys;
    private final Config cfg;
    private final Timeouts timeouts;
    private final DataPattern pattern;
    private final int run; // real bytes per abstract byte
    private final int realPage; // real bytes per abstract page: always one real page
    private final ExecutorService process1;
    private final int tid1; // process 1's thread, to see in /proc whether it sleeps in a pipe wait
    private final Map<Integer, Integer> fds = new HashMap<>(); // end ordinal -> descriptor of process 1
    private final Map<Integer, Mapping> mappings = new HashMap<>();
    private final Map<Integer, BitSet> mappedPages = new HashMap<>(); // real pages still mapped, by id
    private final Map<Integer, int[]> windowLetters = new HashMap<>(); // window contents, by abstract offset
    private final Map<Integer, Integer> windowCommitted = new HashMap<>(); // a window's commit point c
    private final Map<Integer, Map<Integer, Integer>> privateStores = new HashMap<>(); // MAP_PRIVATE copies
    private final StreamBook book = new StreamBook(); // what went into the real stream, by position
    private int readCursor; // the abstract R, from the counts the kernel returned
    private int mapped;
    private Future<Outcome> blocked;
    private Action blockedAction;
    private int blockedWriteMoved; // letters a blocked write() had moved when it was seen blocked

    KernelRun(Syscalls sys, Config cfg, Timeouts timeouts, DataPattern pattern) {
        if (Linux.PAGE_SIZE % cfg.p() != 0) {
            throw new IllegalArgumentException("abstract page size " + cfg.p() + " does not divide 4096");
        }
        this.sys = sys;
        this.cfg = cfg;
        this.timeouts = timeouts;
        this.pattern = pattern;
        this.run = Linux.PAGE_SIZE / cfg.p();
        this.realPage = Linux.PAGE_SIZE;
        PipeFds pipe = sys.pipe2(Linux.O_CLOEXEC);
        if (!pipe.ok()) {
            throw new IllegalStateException("pipe2: " + Errno.name(pipe.errno()));
        }
        fds.put(End.R.ordinal(), pipe.readFd());
        fds.put(End.W.ordinal(), pipe.writeFd());
        // the spec's C / P page slots are the ring's slots; each run scales a byte to real size
        int slots = cfg.c() / cfg.p();
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("C / P = " + slots + " slots: Linux rounds a pipe's ring up to a"
                    + " power of two (F_SETPIPE_SZ), so choose C = P * 2^k");
        }
        sys.setPipeSize(pipe.writeFd(), slots * Linux.PAGE_SIZE).orThrow("F_SETPIPE_SZ");
        this.process1 = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "spec-process-1");
            t.setDaemon(true); // a call the kernel never completes must not keep the JVM alive
            return t;
        });
        try {
            this.tid1 = process1.submit(sys::gettid).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("gettid on the process thread", e);
        }
    }

    @Override
    public Outcome perform(Action action, boolean specBlocks) {
        if (action.p() != 1) {
            throw new StepNotPerformed("the kernel driver runs process 1 only so far: " + action);
        }
        if (action instanceof Action.Wake) {
            return awaitWake(specBlocks);
        }
        if (blocked != null) {
            throw new IllegalStateException("process 1 is blocked in " + blockedAction + "; the spec allows no " + action);
        }
        blockedWriteMoved = 0;
        int queuedBefore = action instanceof Action.Write ? queuedRuns() : 0;
        Callable<Outcome> call = call(action);
        Future<Outcome> f = process1.submit(call);
        Outcome done = await(f, specBlocks);
        if (done != null) {
            return done;
        }
        blocked = f;
        blockedAction = action;
        return blockOutcome(action, queuedBefore);
    }

    /**
     * The call's outcome, or null while it still runs after the wait the spec's verdict calls for.
     * Where the spec says it blocks, a call seen asleep in a pipe wait for the settle time counts
     * as blocked at once; otherwise it must stay incomplete for the whole grace period.
     */
    private Outcome await(Future<Outcome> f, boolean specBlocks) {
        if (!specBlocks) {
            return get(f, timeouts.complete().toMillis());
        }
        long start = System.nanoTime();
        long asleepSince = -1;
        while (true) {
            Outcome o = get(f, 2);
            if (o != null || f.isDone()) {
                return o;
            }
            long now = System.nanoTime();
            if (now - start >= timeouts.grace().toNanos()) {
                return null;
            }
            if (!PipeWait.sleeping(tid1)) {
                asleepSince = -1;
            } else if (asleepSince < 0) {
                asleepSince = now;
            } else if (now - asleepSince >= timeouts.settle().toNanos()) {
                return null;
            }
        }
    }

    private static Outcome get(Future<Outcome> f, long millis) {
        try {
            return f.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    private Outcome awaitWake(boolean specBlocks) {
        if (blocked == null) {
            throw new OutsideSpec("Wake of process 1, but no call of it is blocked (it completed within the grace"
                    + " period)");
        }
        Outcome done = await(blocked, specBlocks);
        if (done == null) {
            if (blockedAction instanceof Action.Write) {
                throw new StepNotPerformed("progress of a still blocked write() is not observed yet");
            }
            return blockOutcome(blockedAction, 0);
        }
        blocked = null;
        Action a = blockedAction;
        blockedAction = null;
        if (a instanceof Action.Write w && done instanceof Outcome.Write x && blockedWriteMoved > 0) {
            // the spec records a woken write with the data that was still to go
            return new Outcome.Write(1, w.data().from(blockedWriteMoved), x.sigpipe(), x.ret(), x.val());
        }
        return done;
    }

    /** Whole runs queued in the pipe now (FIONREAD), or -1 when process 1 holds no read end. */
    private int queuedRuns() {
        Integer r = fds.get(End.R.ordinal());
        if (r == null) {
            return -1;
        }
        SysResult n = sys.fionread(r);
        return n.ok() ? (int) (n.value() / run) : -1;
    }

    private static RuntimeException unwrap(ExecutionException e) {
        return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }

    /** What the spec records for a call that blocked, built from the call itself. */
    private Outcome blockOutcome(Action a, int queuedBefore) {
        if (a instanceof Action.Read x) {
            return new Outcome.Read(1, x.n(), readCursor, Ret.BLOCK, Bytes.EMPTY);
        } else if (a instanceof Action.Load x) {
            return new Outcome.Fault(1, FaultOp.LOAD, x.o(), x.i(), Bytes.NONE, Ret.BLOCK, Bytes.NONE);
        } else if (a instanceof Action.StorePrivate x) {
            return new Outcome.Fault(1, FaultOp.STORE, x.o(), x.i(), x.v(), Ret.BLOCK, Bytes.NONE);
        } else if (a instanceof Action.Msync x) {
            return new Outcome.Msync(1, x.o(), x.e(), false, Ret.BLOCK);
        } else if (a instanceof Action.Write x) {
            // what a blocked write() moved so far: the growth of the queue, while no one reads
            int now = queuedRuns();
            if (queuedBefore < 0 || now < 0) {
                throw new StepNotPerformed("a blocked write() without a read end to measure it: " + x);
            }
            blockedWriteMoved = now - queuedBefore;
            if (blockedWriteMoved == 0 && now == 0 && readCursor > book.size() && x.data().length() > cfg.p()) {
                // FIONREAD counts no claimed byte, so bytes filling claims ahead stay unseen; a write of
                // at most a page (PIPE_BUF) is atomic, so only a longer one can hide progress
                throw new StepNotPerformed("a blocked write() of more than a page filling claimed positions: its"
                        + " progress is not observable through FIONREAD");
            }
            int base = book.size();
            for (int k = 0; k < blockedWriteMoved; k++) {
                book.append(x.data().at(k), StreamBook.writeKey(base + k));
            }
            return new Outcome.Write(1, x.data(), false, Ret.BLOCK, blockedWriteMoved);
        }
        throw new OutsideSpec(a + " blocked, but the spec never blocks it");
    }

    private Callable<Outcome> call(Action a) {
        if (a instanceof Action.Read x) {
            int pos = readCursor;
            return () -> read(x.n(), pos);
        } else if (a instanceof Action.Write x) {
            return () -> write(x.data());
        } else if (a instanceof Action.Close x) {
            return () -> close(x.end());
        } else if (a instanceof Action.Poll) {
            return this::poll;
        } else if (a instanceof Action.Mmap x) {
            return () -> mmap(x.t());
        } else if (a instanceof Action.Load x) {
            return () -> load(x.o(), x.i());
        } else if (a instanceof Action.Munmap x) {
            return () -> munmap(x.o(), x.a(), x.b());
        } else if (a instanceof Action.StoreWindow x) {
            return () -> storeWindow(x.o(), x.i(), x.v());
        } else if (a instanceof Action.StorePrivate x) {
            return () -> storePrivate(x.o(), x.i(), x.v());
        } else if (a instanceof Action.Msync x) {
            return () -> msync(x.o(), x.e());
        } else if (a instanceof Action.MremapGrow x) {
            return () -> mremapGrow(x.o());
        } else if (a instanceof Action.MprotectRefused x) {
            return () -> mprotect(x.o(), x.prot());
        }
        throw new StepNotPerformed("the kernel driver does not perform " + a.label() + " yet");
    }

    private int fd(End e) {
        Integer fd = fds.get(e.ordinal());
        if (fd == null) {
            throw new IllegalStateException("process 1 holds no " + e + " descriptor");
        }
        return fd;
    }

    private Outcome read(int n, int pos) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        // a run may arrive in pieces: read on until whole runs (or EOF)
        do {
            ReadResult r = sys.read(fd(End.R), n * run - got.size());
            if (!r.ok()) {
                throw new OutsideSpec("read() failed with " + Errno.name(r.result().errno()));
            }
            if (r.data().length == 0) {
                break;
            }
            got.writeBytes(r.data());
        } while (got.size() % run != 0);
        if (got.size() % run != 0) {
            throw new OutsideSpec("read() returned " + got.size() + " bytes, not whole runs of " + run);
        }
        byte[] data = got.toByteArray();
        int k = data.length / run;
        byte[] letters = new byte[k];
        for (int a = 0; a < k; a++) {
            letters[a] = (byte) decodeRun(data, a * run, pos + a, "read() at position " + (pos + a));
        }
        readCursor = pos + k;
        return new Outcome.Read(1, n, pos, Ret.OK, Bytes.of(letters));
    }

    /**
     * The letter a whole run of real bytes stands for: the run committed at that position, byte
     * for byte. Anything else (stale, shifted, foreign, zero where data belongs) is outside the spec.
     */
    private int decodeRun(byte[] data, int from, int pos, String where) {
        int letter = book.letter(pos);
        if (letter < 0) {
            throw new OutsideSpec(where + ": bytes at a position nothing was committed to");
        }
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

    private Outcome write(Bytes data) {
        int base = book.size();
        ByteArrayOutputStream real = new ByteArrayOutputStream();
        for (int a = 0; a < data.length(); a++) {
            real.writeBytes(pattern.run(data.at(a), StreamBook.writeKey(base + a), run));
        }
        SysResult w = sys.write(fd(End.W), real.toByteArray());
        if (!w.ok()) {
            if (w.errno() == Errno.EPIPE) {
                // the JVM ignores SIGPIPE: EPIPE stands for it here; the child helper sees the signal
                return new Outcome.Write(1, data, true, Ret.EPIPE, 0);
            }
            throw new OutsideSpec("write() failed with " + Errno.name(w.errno()));
        }
        if (w.value() % run != 0) {
            throw new OutsideSpec("write() moved " + w.value() + " bytes, not whole runs of " + run);
        }
        int n = (int) (w.value() / run);
        for (int a = book.size() - base; a < n; a++) { // some may be recorded already, at blocking
            book.append(data.at(a), StreamBook.writeKey(base + a));
        }
        return new Outcome.Write(1, data, false, Ret.OK, n);
    }

    private Outcome close(End e) {
        SysResult c = sys.close(fd(e));
        if (!c.ok()) {
            throw new OutsideSpec("close() failed with " + Errno.name(c.errno()));
        }
        fds.remove(e.ordinal());
        return new Outcome.Close(1, e);
    }

    private Outcome poll() {
        PollResult p = sys.poll(fd(End.R), Linux.POLLIN, 0);
        if (!p.result().ok()) {
            throw new OutsideSpec("poll() failed with " + Errno.name(p.result().errno()));
        }
        // at EOF an empty pipe reports POLLHUP, not POLLIN: read() would not block either way
        boolean readable = (p.revents() & (Linux.POLLIN | Linux.POLLHUP)) != 0;
        SysResult n = sys.fionread(fd(End.R));
        if (!n.ok() || n.value() % run != 0) {
            throw new OutsideSpec("FIONREAD gave " + n + ", not whole runs of " + run);
        }
        return new Outcome.Poll(1, readable, (int) (n.value() / run));
    }

    private Outcome mmap(MmapTry t) {
        int prot = switch (t.prot()) {
            case R -> Linux.PROT_READ;
            case RW -> Linux.PROT_READ | Linux.PROT_WRITE;
            case RX -> Linux.PROT_READ | Linux.PROT_EXEC;
            case RWX -> Linux.PROT_READ | Linux.PROT_WRITE | Linux.PROT_EXEC;
        };
        int flags = t.flags() == Flags.SHARED ? Linux.MAP_SHARED : Linux.MAP_PRIVATE;
        long realLen = (long) t.len() * run;
        long realOff = (long) t.off() * run; // the spec's offset P is one real page
        SysResult m = sys.mmap(0, realLen, prot, flags, fd(t.end()), realOff);
        if (!m.ok()) {
            Ret ret = retOf(m.errno());
            return new Outcome.Mmap(1, t.end(), t.len(), t.prot(), t.flags(), t.off(), ret, 0);
        }
        int id = ++mapped;
        mappings.put(id, new Mapping(t.end(), m.value(), realLen, t.len(), readCursor));
        BitSet pages = new BitSet();
        pages.set(0, (int) ((realLen + realPage - 1) / realPage));
        mappedPages.put(id, pages);
        if (t.end() == End.W) {
            windowLetters.put(id, new int[t.len()]); // a new window is zero bytes
            windowCommitted.put(id, 0);
        } else {
            privateStores.put(id, new HashMap<>());
        }
        if (t.end() == End.R) {
            readCursor += t.len(); // the claim
        }
        return new Outcome.Mmap(1, t.end(), t.len(), t.prot(), t.flags(), t.off(), Ret.OK, id);
    }

    private static Ret retOf(int errno) {
        for (Ret r : Ret.values()) {
            if (r.tla().equals(Errno.name(errno))) {
                return r;
            }
        }
        throw new OutsideSpec("errno " + Errno.name(errno) + ", which the spec never returns");
    }

    private Outcome load(int o, int i) {
        Mapping m = mappedAt(o, i);
        int pos = m.base() + i;
        int[] probes = {0, run / 2, run - 1};
        int letter = -2;
        for (int j : probes) {
            ReadResult r = sys.peek(m.addr() + (long) i * run + j, 1);
            if (!r.ok()) {
                if (r.result().errno() == Errno.EFAULT) {
                    return new Outcome.Fault(1, FaultOp.LOAD, o, i, Bytes.NONE, Ret.SIGBUS, Bytes.NONE);
                }
                throw new OutsideSpec("process_vm_readv failed with " + Errno.name(r.result().errno()));
            }
            byte b = r.data()[0];
            int seen;
            Integer mine = privateStores.get(o).get(i);
            if (mine != null) { // this process's MAP_PRIVATE copy of the byte
                seen = b == pattern.at(mine, StreamBook.privateKey(o, i), j) ? mine : -1;
            } else if (b == 0) {
                seen = Bytes.ZERO; // zero fill, or a committed zero byte
            } else if (book.letter(pos) > 0 && b == pattern.at(book.letter(pos), book.key(pos), j)) {
                seen = book.letter(pos);
            } else {
                seen = -1;
            }
            if (seen == -1 || (letter != -2 && seen != letter)) {
                throw new OutsideSpec("load at offset " + i + " (position " + pos + "), run byte " + j + ": "
                        + (b & 0xff) + " is neither zero nor the committed byte's run (stale, shifted or foreign)");
            }
            letter = seen;
        }
        return new Outcome.Fault(1, FaultOp.LOAD, o, i, Bytes.NONE, Ret.OK, letter);
    }

    /** A store to a window, through process_vm_writev: it changes the window only. */
    private Outcome storeWindow(int o, int i, int v) {
        Mapping m = mappedAt(o, i);
        SysResult r = sys.poke(m.addr() + (long) i * run, pattern.run(v, StreamBook.windowKey(o, i), run));
        if (!r.ok()) {
            throw new OutsideSpec("a store to a write window failed with " + Errno.name(r.errno())
                    + " (a CPU store would have taken a signal)");
        }
        windowLetters.get(o)[i] = v;
        return new Outcome.Fault(1, FaultOp.STORE, o, i, v, Ret.OK, Bytes.NONE);
    }

    /** A store to a MAP_PRIVATE claim: faults the page in like a load (EFAULT for SIGBUS), then copies. */
    private Outcome storePrivate(int o, int i, int v) {
        Mapping m = mappedAt(o, i);
        SysResult r = sys.poke(m.addr() + (long) i * run, pattern.run(v, StreamBook.privateKey(o, i), run));
        if (!r.ok()) {
            if (r.errno() == Errno.EFAULT) {
                return new Outcome.Fault(1, FaultOp.STORE, o, i, v, Ret.SIGBUS, Bytes.NONE);
            }
            throw new OutsideSpec("process_vm_writev failed with " + Errno.name(r.errno()));
        }
        privateStores.get(o).put(i, v);
        return new Outcome.Fault(1, FaultOp.STORE, o, i, v, Ret.OK, Bytes.NONE);
    }

    /** msync(MS_SYNC) of the window's first e abstract bytes: commits [c, e) exactly. */
    private Outcome msync(int o, int e) {
        Mapping m = mappedAt(o, 0); // a window is mapped whole or not at all
        SysResult r = sys.msync(m.addr(), (long) e * run, Linux.MS_SYNC);
        if (!r.ok()) {
            boolean sigpipe = r.errno() == Errno.EPIPE; // the JVM ignores SIGPIPE: EPIPE stands for it
            return new Outcome.Msync(1, o, e, sigpipe, retOf(r.errno()));
        }
        int c = windowCommitted.get(o);
        int[] letters = windowLetters.get(o);
        for (int k = c; k < Math.min(e, letters.length); k++) { // the stream gets a snapshot of the window
            book.append(letters[k], StreamBook.windowKey(o, k));
        }
        windowCommitted.put(o, Math.max(c, e));
        return new Outcome.Msync(1, o, e, false, Ret.OK);
    }

    /**
     * munmap() of pages [a, b) of mapping o: one call per run of its pages still mapped there.
     * The pages unmapped before are not o's any more; a newer mapping may live in that hole, and
     * the spec's step removes only o's pages.
     */
    private Outcome munmap(int o, int a, int b) {
        Mapping m = mapping(o);
        BitSet pages = mappedPages.get(o);
        List<PageRuns.Run> runs = PageRuns.within(pages, a, b);
        if (runs.isEmpty()) {
            throw new IllegalStateException("munmap of pages [" + a + ", " + b + ") of mapping " + o
                    + ", none of which is mapped: the spec allows no such step");
        }
        for (PageRuns.Run piece : runs) {
            SysResult r = sys.munmap(m.addr() + (long) piece.from() * realPage, (long) piece.pages() * realPage);
            if (!r.ok()) {
                if (piece != runs.get(0)) {
                    throw new OutsideSpec("munmap() of mapping " + o + " unmapped pages before page " + piece.from()
                            + " and then failed with " + Errno.name(r.errno()));
                }
                return new Outcome.Munmap(1, o, a, b, retOf(r.errno()));
            }
            pages.clear(piece.from(), piece.to());
        }
        return new Outcome.Munmap(1, o, a, b, Ret.OK);
    }

    /**
     * Growing by one abstract page (one real page), allowed to move: only VM_DONTEXPAND refuses
     * it. The call grows the last run of pages the mapping still has, its end as the spec's len.
     */
    private Outcome mremapGrow(int o) {
        Mapping m = mapping(o);
        long pages = (m.realLen() + realPage - 1) / realPage;
        int abstractLen = (int) (pages * cfg.p() + cfg.p());
        List<PageRuns.Run> runs = PageRuns.all(mappedPages.get(o));
        if (runs.isEmpty()) {
            throw new IllegalStateException("mapping " + o + " has no page mapped");
        }
        PageRuns.Run last = runs.get(runs.size() - 1);
        long len = (long) last.pages() * realPage;
        SysResult r = sys.mremap(m.addr() + (long) last.from() * realPage, len, len + realPage, Linux.MREMAP_MAYMOVE);
        if (r.ok()) {
            // the kernel grew a pipe mapping, wrongly: remove it (it may have moved) and report the "ok"
            sys.munmap(r.value(), len + realPage);
            mappedPages.get(o).clear(last.from(), last.to());
            return new Outcome.Mremap(1, o, abstractLen, Ret.OK);
        }
        return new Outcome.Mremap(1, o, abstractLen, retOf(r.errno()));
    }

    private Outcome mprotect(int o, Prot prot) {
        Mapping m = mapping(o);
        int bits = switch (prot) {
            case R -> Linux.PROT_READ;
            case RW -> Linux.PROT_READ | Linux.PROT_WRITE;
            case RX -> Linux.PROT_READ | Linux.PROT_EXEC;
            case RWX -> Linux.PROT_READ | Linux.PROT_WRITE | Linux.PROT_EXEC;
        };
        // page by page over the pages still mapped: any page the kernel lets change is a wrong "ok"
        BitSet pages = mappedPages.get(o);
        Ret ret = null;
        for (int k = pages.nextSetBit(0); k >= 0; k = pages.nextSetBit(k + 1)) {
            SysResult r = sys.mprotect(m.addr() + (long) k * realPage, realPage, bits);
            Ret page = r.ok() ? Ret.OK : retOf(r.errno());
            if (ret != null && ret != page) {
                throw new OutsideSpec("mprotect() gave " + ret + " on one page and " + page + " on another");
            }
            ret = page;
        }
        if (ret == null) {
            throw new IllegalStateException("mapping " + o + " has no page mapped");
        }
        return new Outcome.Mprotect(1, o, prot, ret);
    }

    private Mapping mapping(int o) {
        Mapping m = mappings.get(o);
        if (m == null) {
            throw new IllegalStateException("no mapping " + o);
        }
        return m;
    }

    /** Mapping o, whose page holding abstract offset i must still be mapped (else the address is not o's). */
    private Mapping mappedAt(int o, int i) {
        Mapping m = mapping(o);
        int page = (int) ((long) i * run / realPage);
        if (!mappedPages.get(o).get(page)) {
            throw new IllegalStateException("offset " + i + " of mapping " + o + " lies in page " + page
                    + ", which is unmapped: the spec allows no access there");
        }
        return m;
    }

    /**
     * Ends the run: closing both ends first wakes whatever is still blocked (EOF for readers and
     * loads, EPIPE for writers); only then are the mappings removed, so that cleanup never waits
     * behind a fault that is still waiting for data.
     */
    @Override
    public void close() {
        fds.values().forEach(sys::close);
        fds.clear();
        mappings.forEach((o, m) -> {
            for (PageRuns.Run r : PageRuns.all(mappedPages.get(o))) { // holes may hold others' pages
                sys.munmap(m.addr() + (long) r.from() * realPage, (long) r.pages() * realPage);
            }
        });
        process1.shutdownNow();
    }
}
