package org.extmmap.conformance.targets;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;
import net.jqwik.api.state.Transformer;
import org.extmmap.model.Action;
import org.extmmap.model.Bytes;
import org.extmmap.model.Config;
import org.extmmap.model.End;
import org.extmmap.model.Life;
import org.extmmap.model.MmapTry;
import org.extmmap.model.Obj;
import org.extmmap.model.Outcome;
import org.extmmap.model.Pending;
import org.extmmap.model.Prot;
import org.extmmap.model.Ret;
import org.extmmap.model.State;

/**
 * The next step of a random walk over the whole interface, for every live process: read() and
 * write() of random lengths, claims and windows of any length, loads and stores at any byte of a
 * mapped page, byte-granular commits, partial munmap, the refused mremap/mprotect, the mmap
 * errors, fork, exit, caught signals and SIGKILL of blocked processes, and the wake-ups the spec
 * makes the only step while one is pending. Arguments are drawn at random (the model's own
 * argument lists are exhaustive, far too large at real sizes); the model decides whether a drawn
 * step is enabled, so no guard of the spec is restated here beyond where to aim.
 */
final class WalkSteps {
    private WalkSteps() {
    }

    /** The next step from the walk's state, or the end of the walk where no process can take one. */
    static Arbitrary<Transformer<Walk>> next(Walk w) {
        State s = w.state();
        List<Tuple.Tuple2<Integer, Arbitrary<? extends Action>>> choices = new ArrayList<>();
        if (w.cutShort() == null) {
            if (w.model().wakePending(s)) {
                for (int p = 1; p <= s.nProcs(); p++) {
                    if (w.model().canWake(s, p)) {
                        choices.add(Tuple.of(1, Arbitraries.just(new Action.Wake(p))));
                    }
                }
            } else {
                for (int p = 1; p <= s.nProcs(); p++) {
                    if (s.life(p) != Life.ALIVE) {
                        continue;
                    }
                    if (s.pc(p) instanceof Pending.Idle) {
                        idle(w, p, choices);
                    } else if (w.processes()) {
                        // a blocked process: the spec lets only a signal or SIGKILL reach it; a second
                        // signal right after one its fault restarted from shows nothing new
                        if (!(s.last() instanceof Outcome.Signal g && g.p() == p && g.ret() == Ret.RESTART)) {
                            choices.add(Tuple.of(3, Arbitraries.just(new Action.Signal(p))));
                        }
                        choices.add(Tuple.of(1, Arbitraries.just(new Action.Kill(p))));
                    }
                }
            }
        }
        if (choices.isEmpty()) {
            return Arbitraries.just(Transformer.endOfChain());
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        Arbitrary<Action> any = (Arbitrary) Arbitraries.frequencyOf(choices.toArray(new Tuple.Tuple2[0]));
        // a call that blocks with no idle process left to end it leaves only signals and SIGKILL: rarer
        return any.flatMap(a -> blocksAlone(w, a) ? Arbitraries.of(Optional.of(a), Optional.<Action>empty(),
                Optional.<Action>empty(), Optional.<Action>empty()) : Arbitraries.just(Optional.of(a)))
                .filter(a -> a.isPresent() && w.enabled(a.get()) && !appendsCompete(w, a.get())
                        && !zerosForRivalReads(w, a.get())).map(Optional::get)
                .map(a -> Transformer.mutate(a.toString(), walk -> walk.take(a)));
    }

    /**
     * An append (write(), msync()) that would block while another process's append waits for
     * room too. Both wake when room comes, and the kernel's order decides where each one's bytes
     * lie in the stream, which no outcome of a Wake shows (unlike two reads, whose bytes name their
     * positions: the driver follows the kernel's order there). Walks leave such states out; the
     * Commits graph has them with one shared window, whose bytes are the same whoever commits them
     * (conformance/README.md, "Known gaps").
     */
    /**
     * A commit that puts window bytes never stored (zeros) into the stream while two or more
     * reads wait. The kernel wakes them in its order, and the driver places each read by its
     * bytes; zeros name no position, so a read that got the tail was placed at the head (a
     * fresh-clone run, 2026-12-06: Msync of 10 zeros, reads of 9 and 24 waiting, the second woken
     * first by the walk, the first by the kernel). Walks leave such states out, like competing
     * appends.
     */
    private static boolean zerosForRivalReads(Walk w, Action a) {
        if (!(a instanceof Action.Msync m)) {
            return false;
        }
        State s = w.state();
        int readers = 0;
        for (int q = 1; q <= s.nProcs(); q++) {
            readers += s.life(q) == Life.ALIVE && s.pc(q) instanceof Pending.Reading ? 1 : 0;
        }
        if (readers < 2 || !(s.objs().size() >= m.o() && s.obj(m.o()) instanceof org.extmmap.model.Obj.Window win)) {
            return false;
        }
        for (int i = win.c(); i < Math.min(m.e(), win.len()); i++) {
            if (win.data().at(i) == 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean appendsCompete(Walk w, Action a) {
        if (!(a instanceof Action.Write || a instanceof Action.Msync)) {
            return false;
        }
        State s = w.state();
        boolean rival = false;
        for (int q = 1; q <= s.nProcs(); q++) {
            Pending pc = s.pc(q);
            rival |= q != a.p() && s.life(q) == Life.ALIVE && (pc instanceof Pending.Writing
                    || pc instanceof Pending.Syncing);
        }
        return rival && w.model().take(s, a).map(step -> step.outcome().ret() == Ret.BLOCK).orElse(false);
    }

    private static boolean blocksAlone(Walk w, Action a) {
        State s = w.state();
        for (int q = 1; q <= s.nProcs(); q++) {
            if (q != a.p() && s.life(q) == Life.ALIVE && s.pc(q) instanceof Pending.Idle) {
                return false;
            }
        }
        return w.model().take(s, a).map(step -> step.outcome().ret() == Ret.BLOCK).orElse(false);
    }

    private static void idle(Walk w, int p, List<Tuple.Tuple2<Integer, Arbitrary<? extends Action>>> choices) {
        Config c = w.model().config();
        State s = w.state();
        boolean reads = s.fds(p).contains(End.R);
        boolean writes = s.fds(p).contains(End.W);
        boolean maps = false;
        for (int o = 1; o <= s.objs().size(); o++) {
            maps |= !s.maps(p, o).isEmpty();
        }
        if (!reads && !writes && !maps) {
            // no descriptor, no mapping: exit is all such a process can do, where it can (else nothing)
            if (w.processes()) {
                choices.add(Tuple.of(1, Arbitraries.just(new Action.Exit(p))));
            }
            return;
        }
        int room = c.maxW() - s.stream().length();
        if (reads) {
            // a read that blocks needs another process (or a signal) to end it: rarer then
            choices.add(Tuple.of(w.model().readReady(s) ? 3 : 1,
                    Arbitraries.integers().between(1, c.maxIO()).map(n -> new Action.Read(p, n))));
        }
        if (writes && room > 0) {
            choices.add(Tuple.of(3, Arbitraries.integers().between(1, Math.min(c.maxIO(), room))
                    .flatMap(n -> letters(c, n)).map(d -> new Action.Write(p, d))));
        }
        if (s.objs().size() < c.maxObjs() && (reads || writes)) {
            choices.add(Tuple.of(3, Arbitraries.of(MmapTry.VALID_KINDS).filter(k -> s.fds(p).contains(k.end()))
                    .flatMap(k -> Arbitraries.integers().between(1, c.maxLen())
                            .map(len -> new Action.Mmap(p, new MmapTry(k.end(), k.prot(), k.flags(), len, 0,
                                    k.err()))))));
        }
        List<MmapTry> errors = w.model().tries().stream().filter(t -> !t.valid() && s.fds(p).contains(t.end()))
                .toList();
        if (!errors.isEmpty()) {
            choices.add(Tuple.of(1, Arbitraries.of(errors).map(t -> new Action.Mmap(p, t))));
        }
        for (int o = 1; o <= s.objs().size(); o++) {
            if (s.maps(p, o).isEmpty()) {
                continue;
            }
            int id = o;
            Obj ob = s.obj(o);
            if (ob instanceof Obj.Claim claim) {
                choices.add(Tuple.of(5, mappedOffset(w, p, o).map(i -> new Action.Load(p, id, i))));
                if (claim.rw()) {
                    choices.add(Tuple.of(2, mappedOffset(w, p, o).flatMap(i -> letter(c)
                            .map(v -> new Action.StorePrivate(p, id, i, v)))));
                }
                int pages = c.pages(claim.len());
                choices.add(Tuple.of(1, Arbitraries.integers().between(0, pages - 1).flatMap(a ->
                        Arbitraries.integers().between(a + 1, pages).map(b -> new Action.Munmap(p, id, a, b)))));
            } else if (ob instanceof Obj.Window win) {
                choices.add(Tuple.of(5, Arbitraries.integers().between(0, win.len() - 1)
                        .flatMap(i -> letter(c).map(v -> new Action.StoreWindow(p, id, i, v)))));
                // commits anywhere: below the commit point (no-op), up to the end, one past it (ENOMEM)
                int most = Math.min(win.len() + 1, win.c() + room);
                choices.add(Tuple.of(3, Arbitraries.integers().between(1, Math.max(1, most))
                        .map(e -> new Action.Msync(p, id, e))));
                int pages = c.pages(win.len());
                choices.add(Tuple.of(1, Arbitraries.integers().between(0, pages - 1).flatMap(a ->
                        Arbitraries.integers().between(a + 1, pages).map(b -> new Action.Munmap(p, id, a, b)))));
            }
            if (reads) {
                // where the stream ends in a claim, asked at any time (a window's address: EINVAL)
                choices.add(Tuple.of(ob instanceof Obj.Claim ? 3 : 1, Arbitraries.just(new Action.ClaimEnd(p, id))));
            }
            choices.add(Tuple.of(1, Arbitraries.of(new Action.MremapGrow(p, id),
                    new Action.MprotectRefused(p, id, Prot.RW), new Action.MprotectRefused(p, id, Prot.RX))));
        }
        List<Action> rare = new ArrayList<>(List.of(new Action.Poll(p), new Action.Close(p, End.R),
                new Action.Close(p, End.W)));
        if (w.processes()) {
            rare.add(new Action.Exit(p)); // exit ends what a walk can still do: as rare as a close
            if (s.life().contains(Life.UNBORN)) {
                choices.add(Tuple.of(2, Arbitraries.just(new Action.Fork(p))));
            }
        }
        choices.add(Tuple.of(1, Arbitraries.of(rare)));
    }

    /** Any byte of a page of mapping o that p still maps (past the length too: zero fill, SIGBUS). */
    private static Arbitrary<Integer> mappedOffset(Walk w, int p, int o) {
        int pg = w.model().config().p();
        List<Integer> pages = w.state().maps(p, o).stream().boxed().toList();
        return Arbitraries.of(pages).flatMap(k -> Arbitraries.integers().between(k * pg, k * pg + pg - 1));
    }

    private static Arbitrary<Integer> letter(Config c) {
        return Arbitraries.of(c.alpha()).map(b -> b & 0xff);
    }

    private static Arbitrary<Bytes> letters(Config c, int n) {
        return Arbitraries.of(c.alpha()).list().ofSize(n).map(l -> {
            byte[] b = new byte[l.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = l.get(i);
            }
            return Bytes.of(b);
        });
    }
}
