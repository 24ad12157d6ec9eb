package org.extmmap.conformance.targets;

import java.util.List;
import java.util.Set;
import org.extmmap.conformance.sys.KernelUnderTest;
import org.extmmap.model.Action;
import org.extmmap.model.Bytes;
import org.extmmap.model.Config;
import org.extmmap.model.End;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.Pending;
import org.extmmap.model.State;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * jqwik walks of read/write/close/poll at real sizes (the 4096-byte page) on the kernel this JVM
 * runs on, with the model as oracle. Plain-pipe calls only, so this runs on any kernel: it tests
 * the harness and the spec's plain-pipe rules, not extended mmap. One walk keeps the stream far
 * below a 1 MiB ring; the other uses a ring of two slots, where pipe_write's merging into the last
 * slot, partial writes and blocking on a full ring decide nearly every step. jqwik prints the seed
 * of a failing run and shrinks it to a minimal step sequence.
 */
class PlainPipeWalkProperties {
    static final Config REAL = new Config(1, 4096, 1 << 20, 4096, 6000, 60000, 0,
            List.of((byte) 'a', (byte) 'b', (byte) 'c'), Set.of("read", "write", "close", "poll"));
    static final Config SMALL_RING = new Config(1, 4096, 2 * 4096, 4096, 6000, 60000, 0,
            List.of((byte) 'a', (byte) 'b', (byte) 'c'), Set.of("read", "write", "close", "poll"));
    private Walk current;

    @AfterTry
    void closeWalk() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    @Property(tries = 60)
    void plainPipeWalksAgreeWithTheModel(@ForAll("walks") ActionChain<Walk> chain) {
        chain.run();
    }

    @Property(tries = 100)
    void smallRingWalksAgreeWithTheModel(@ForAll("smallRingWalks") ActionChain<Walk> chain) {
        chain.run();
    }

    @Provide
    Arbitrary<ActionChain<Walk>> walks() {
        return walks(REAL);
    }

    @Provide
    Arbitrary<ActionChain<Walk>> smallRingWalks() {
        return walks(SMALL_RING);
    }

    private Arbitrary<ActionChain<Walk>> walks(Config cfg) {
        return ActionChain.<Walk>startWith(() -> {
            KernelTarget k = new KernelTarget(KernelUnderTest.syscalls(), Timeouts.fromSystemProperties(), 7);
            current = new Walk(new ExtMmap(cfg), k.startPlainPipe(cfg));
            return current;
        }).withAction((net.jqwik.api.state.Action.Dependent<Walk>) this::step).withMaxTransformations(25);
    }

    private Arbitrary<Transformer<Walk>> step(Walk w) {
        Config c = w.model().config();
        State s = w.state();
        boolean blockedForGood = !(s.pc(1) instanceof Pending.Idle) && !w.model().wakePending(s);
        if (blockedForGood || s.fds(1).isEmpty()) {
            return Arbitraries.just(Transformer.endOfChain()); // one process, nothing left it can do
        }
        int room = c.maxW() - w.state().stream().length();
        Arbitrary<Action> reads = Arbitraries.integers().between(1, c.maxIO()).map(n -> new Action.Read(1, n));
        Arbitrary<Action> writes = room < 1 ? reads : Arbitraries.of(c.alpha()).list().ofMinSize(1)
                .ofMaxSize(Math.min(c.maxIO(), room))
                .map(l -> {
                    byte[] b = new byte[l.size()];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = l.get(i);
                    }
                    return new Action.Write(1, Bytes.of(b));
                });
        Arbitrary<Action> others = Arbitraries.of(new Action.Poll(1), new Action.Close(1, End.R),
                new Action.Close(1, End.W), new Action.Wake(1));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, reads), net.jqwik.api.Tuple.of(4, writes), net.jqwik.api.Tuple.of(2, others))
                .filter(w::enabled)
                .map(a -> Transformer.mutate(a.toString(), walk -> walk.take(a)));
    }
}
