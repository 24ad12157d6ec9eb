package org.extmmap.conformance.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.ActionChain;
import org.extmmap.model.Bytes;
import org.extmmap.model.Config;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.FaultOp;
import org.extmmap.model.Life;
import org.extmmap.model.Obj;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;
import org.extmmap.model.State;

/**
 * jqwik walks over the whole interface at real sizes (P = 4096, a ring of two page slots,
 * mappings of up to three pages at any stream position, up to three processes): both ends,
 * windows with byte-granular commits, MAP_PRIVATE stores, partial munmap, the error returns,
 * fork, exit, caught signals and SIGKILL (steps chosen by {@link WalkSteps}). Against the model
 * they check the spec's integrity properties on the model's own outcomes at sizes TLC cannot
 * reach; against the kernel they compare every outcome with the model (aborted, so skipped,
 * where extended mmap is absent).
 */
class ExtMmapWalkProperties {
    /** One process, the read end, a large pipe: the configuration MunmapHoleTest builds on. */
    static final Config REAL = new Config(1, 4096, 1 << 20, 3 * 4096, 6000, 60000, 4,
            List.of((byte) 'a', (byte) 'b', (byte) 'c'),
            Set.of("read", "write", "close", "poll", "mmap", "load", "munmap"));
    /** The walks': every call of the spec, three processes, a ring small enough to fill. */
    static final Config WHOLE = new Config(3, 4096, 2 * 4096, 3 * 4096, 6000, 60000, 6,
            List.of((byte) 'a', (byte) 'b', (byte) 'c'), Config.ALL_OPS);
    static final int MAX_STEPS = 30;
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
        describe(w);
    }

    /** As a target without processes of its own (a JVM in the guest) walks: no fork, exit, signals. */
    @Property(tries = 200)
    void modelWalksWithoutProcessesOfTheirOwnEnd(@ForAll("onModelWithoutProcesses") ActionChain<Walk> chain) {
        Walk w = chain.run();
        assertTrue(w.outcomes().stream().noneMatch(o -> o instanceof Outcome.Fork || o instanceof Outcome.Vanish
                || o instanceof Outcome.Signal), "a step of processes on a target without them");
    }

    @Provide
    Arbitrary<ActionChain<Walk>> onModelWithoutProcesses() {
        return chain(() -> new Target.Run() {
            private final Target.Run model = new ModelTarget().start(WHOLE);

            @Override
            public Outcome perform(org.extmmap.model.Action action, boolean specBlocks) {
                return model.perform(action, specBlocks);
            }

            @Override
            public boolean processes() {
                return false;
            }

            @Override
            public void close() {
                model.close();
            }
        });
    }

    // tries: jqwik.tries.default (junit-platform.properties; ./test.sh raises it)
    @Property
    @AddLifecycleHook(ExtendedMmapRequired.class)
    void kernelWalksAgreeWithTheModel(@ForAll("onKernel") ActionChain<Walk> chain) {
        if (kernelStarted == 0) {
            kernelStarted = System.nanoTime();
        }
        Walk w = chain.run();
        describe(w);
        progress(w);
    }

    private static long kernelStarted;
    private static int kernelTries;
    private static long kernelSteps;

    // a line every 100 passing tries: a run of 2,000 takes minutes on an emulated guest
    private static void progress(Walk w) {
        kernelTries++;
        kernelSteps += w.outcomes().size();
        if (kernelTries % 100 == 0) {
            double secs = (System.nanoTime() - kernelStarted) / 1e9;
            System.out.printf("[progress] kernel walks on %s: %,d tries passed, %,d steps, %.0f s (%.1f tries/s)%n",
                    KERNEL.name(), kernelTries, kernelSteps, secs, kernelTries / secs);
        }
    }

    // show what the walks reach, not only that they pass; a walk cut short says why
    private static void describe(Walk w) {
        w.outcomes().forEach(o -> Statistics.label("outcomes").collect(o.getClass().getSimpleName() + " "
                + o.ret()));
        Statistics.label("processes alive at the end").collect(
                (int) w.state().life().stream().filter(l -> l == Life.ALIVE).count());
        Statistics.label("steps per walk").collect(w.outcomes().size() / 10 * 10);
        Statistics.label("wake-ups taken in the kernel's order, not the one drawn").collect(w.reordered());
        Statistics.label("walks cut short (the step not observable; the steps before it judged)")
                .collect(w.cutShort() == null ? "no" : w.cutShort());
    }

    @Provide
    Arbitrary<ActionChain<Walk>> onModel() {
        return chain(() -> new ModelTarget().start(WHOLE));
    }

    @Provide
    Arbitrary<ActionChain<Walk>> onKernel() {
        return chain(() -> KERNEL.start(WHOLE));
    }

    private Arbitrary<ActionChain<Walk>> chain(Supplier<Target.Run> run) {
        return walks(() -> {
            current = new Walk(new ExtMmap(WHOLE), run.get());
            return current;
        });
    }

    /** Walks of up to MAX_STEPS steps from the walk {@code start} makes, each step from {@link WalkSteps}. */
    static Arbitrary<ActionChain<Walk>> walks(Supplier<Walk> start) {
        return ActionChain.startWith(start).withAction((net.jqwik.api.state.Action.Dependent<Walk>) WalkSteps::next)
                .withMaxTransformations(MAX_STEPS);
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
                for (int o = 1; o <= s.objs().size(); o++) {
                    if (s.obj(o) instanceof Obj.Claim c) {
                        assertTrue(c.base() >= r.pos() + r.val().length() || c.base() + c.len() <= r.pos(),
                                "read() returned bytes of claim " + o);
                    }
                }
            }
        } else if (s.last() instanceof Outcome.Fault f && f.op() == FaultOp.LOAD && f.ret() == Ret.OK) {
            Obj.Claim c = (Obj.Claim) s.obj(f.o());
            int pos = c.base() + f.i();
            Integer stored = s.mods(f.p(), f.o()).get(f.i());
            int want = stored != null ? stored
                    : f.i() >= c.len() || pos >= stream.length() ? Bytes.ZERO : stream.at(pos);
            assertEquals(want, f.val(), "load integrity at offset " + f.i() + " of claim " + f.o());
        }
    }
}
