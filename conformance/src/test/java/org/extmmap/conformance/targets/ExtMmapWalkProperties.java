package org.extmmap.conformance.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;
import org.extmmap.model.Action;
import org.extmmap.model.Bytes;
import org.extmmap.model.Config;
import org.extmmap.model.End;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.FaultOp;
import org.extmmap.model.MmapTry;
import org.extmmap.model.Obj;
import org.extmmap.model.Outcome;
import org.extmmap.model.Pending;
import org.extmmap.model.Ret;
import org.extmmap.model.State;

/**
 * jqwik walks with claims and loads at real sizes (P = 4096, a 1 MiB pipe, mappings of up to
 * three pages at any stream position). Against the model they check the spec's integrity
 * properties on the model's own outcomes at sizes TLC cannot reach; against the kernel they
 * compare every outcome with the model (aborted, so skipped, where extended mmap is absent).
 */
class ExtMmapWalkProperties {
    static final Config REAL = new Config(1, 4096, 1 << 20, 3 * 4096, 6000, 60000, 4,
            List.of((byte) 'a', (byte) 'b', (byte) 'c'),
            Set.of("read", "write", "close", "poll", "mmap", "load", "munmap"));
    static final KernelTarget KERNEL = KernelTarget.host(11);
    private Walk current;

    @AfterTry
    void closeWalk() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    @Property(tries = 200)
    void modelWalksKeepIntegrityAtRealSizes(@ForAll("onModel") ActionChain<Walk> chain) {
        Walk w = chain.withInvariant("integrity of reads and loads, capacity", ExtMmapWalkProperties::integrity).run();
        // show that the walks reach the interesting outcomes, not only that they pass
        w.outcomes().stream().filter(o -> o instanceof Outcome.Fault)
                .forEach(o -> Statistics.label("load outcomes").collect(o.ret()));
        Statistics.label("steps per walk").collect(w.outcomes().size() / 10 * 10);
    }

    // tries: jqwik.tries.default (junit-platform.properties; the guest suite raises it)
    @Property
    @AddLifecycleHook(ExtendedMmapRequired.class)
    void kernelWalksAgreeWithTheModel(@ForAll("onKernel") ActionChain<Walk> chain) {
        chain.run();
    }

    @Provide
    Arbitrary<ActionChain<Walk>> onModel() {
        return chain(() -> new ModelTarget().start(REAL));
    }

    @Provide
    Arbitrary<ActionChain<Walk>> onKernel() {
        return chain(() -> KERNEL.start(REAL));
    }

    private Arbitrary<ActionChain<Walk>> chain(java.util.function.Supplier<Target.Run> run) {
        return ActionChain.<Walk>startWith(() -> {
            current = new Walk(new ExtMmap(REAL), run.get());
            return current;
        }).withAction((net.jqwik.api.state.Action.Dependent<Walk>) ExtMmapWalkProperties::step)
                .withMaxTransformations(30);
    }

    /** The spec's ReadIntegrity, LoadIntegrity and Capacity, judged against the ghost stream. */
    static void integrity(Walk w) {
        State s = w.state();
        Bytes stream = s.stream();
        assertTrue(s.buf().length() <= w.model().config().c(), "capacity");
        assertEquals(stream.from(s.u()), s.buf(), "the buffer is the unpulled end of the stream");
        if (s.last() instanceof Outcome.Read r && r.ret() == Ret.OK) {
            if (r.val().isEmpty()) { // end of file: only at EOF, with nothing committed at or past R
                assertTrue(s.eof() && stream.length() <= r.pos(), "read() returned 0 before the end of the stream");
            } else {
                assertEquals(stream.slice(r.pos(), r.pos() + r.val().length()), r.val(), "read integrity");
            }
        } else if (s.last() instanceof Outcome.Fault f && f.op() == FaultOp.LOAD && f.ret() == Ret.OK) {
            Obj.Claim c = (Obj.Claim) s.obj(f.o());
            int pos = c.base() + f.i();
            int want = f.i() >= c.len() || pos >= stream.length() ? Bytes.ZERO : stream.at(pos);
            assertEquals(want, f.val(), "load integrity at offset " + f.i() + " of claim " + f.o());
        }
    }

    private static Arbitrary<Transformer<Walk>> step(Walk w) {
        Config c = w.model().config();
        State s = w.state();
        boolean blockedForGood = !(s.pc(1) instanceof Pending.Idle) && !w.model().wakePending(s);
        if (blockedForGood || s.fds(1).isEmpty() && mapped(s).isEmpty()) {
            return Arbitraries.just(Transformer.endOfChain());
        }
        int room = c.maxW() - s.stream().length();
        List<Tuple.Tuple2<Integer, Arbitrary<? extends Action>>> choices = new ArrayList<>();
        // a read that blocks ends a one-process walk: rarer while it would block
        int readWeight = w.model().readReady(s) ? 3 : 1;
        choices.add(Tuple.of(readWeight, Arbitraries.integers().between(1, c.maxIO()).map(n -> new Action.Read(1, n))));
        if (room > 0) {
            choices.add(Tuple.of(4, Arbitraries.integers().between(1, Math.min(c.maxIO(), room))
                    .flatMap(n -> Arbitraries.of(c.alpha()).list().ofSize(n))
                    .map(ExtMmapWalkProperties::write)));
        }
        choices.add(Tuple.of(3, Arbitraries.integers().between(1, c.maxLen()).flatMap(len ->
                Arbitraries.of(MmapTry.VALID_KINDS).filter(k -> k.end() == End.R)
                        .map(k -> (Action) new Action.Mmap(1, new MmapTry(k.end(), k.prot(), k.flags(), len, 0,
                                Ret.OK))))));
        List<Integer> claims = mapped(s);
        if (!claims.isEmpty()) {
            choices.add(Tuple.of(5, Arbitraries.of(claims).flatMap(o -> {
                int pages = c.pages(((Obj.Claim) s.obj(o)).len());
                return Arbitraries.integers().between(0, pages * c.p() - 1).map(i -> new Action.Load(1, o, i));
            })));
            choices.add(Tuple.of(1, Arbitraries.of(claims).flatMap(o -> {
                int pages = c.pages(((Obj.Claim) s.obj(o)).len());
                return Arbitraries.integers().between(0, pages - 1).flatMap(a ->
                        Arbitraries.integers().between(a + 1, pages).map(b -> new Action.Munmap(1, o, a, b)));
            })));
        }
        choices.add(Tuple.of(2, Arbitraries.of(new Action.Poll(1), new Action.Close(1, End.R),
                new Action.Close(1, End.W), new Action.Wake(1))));
        @SuppressWarnings({"unchecked", "rawtypes"})
        Arbitrary<Action> any = (Arbitrary) Arbitraries.frequencyOf(choices.toArray(new Tuple.Tuple2[0]));
        return any.filter(w::enabled).map(a -> Transformer.mutate(a.toString(), walk -> walk.take(a)));
    }

    private static Action write(List<Byte> letters) {
        byte[] b = new byte[letters.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = letters.get(i);
        }
        return new Action.Write(1, Bytes.of(b));
    }

    /** Claims process 1 maps some page of. */
    private static List<Integer> mapped(State s) {
        List<Integer> out = new ArrayList<>();
        for (int o = 1; o <= s.objs().size(); o++) {
            if (s.obj(o) instanceof Obj.Claim && !s.maps(1, o).isEmpty()) {
                out.add(o);
            }
        }
        return out;
    }
}
