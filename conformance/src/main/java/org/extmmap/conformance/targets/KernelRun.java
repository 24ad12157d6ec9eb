package org.extmmap.conformance.targets;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.List;
import org.extmmap.conformance.sys.KernelUnderTest;
import org.extmmap.conformance.sys.Syscalls;
import org.extmmap.model.Action;
import org.extmmap.model.Config;
import org.extmmap.model.Outcome;

/**
 * One test against the real kernel: a real pipe, process 1 as a thread of this JVM. This class
 * owns that thread and decides when a call counts as blocked; each action's {@link KernelCall}
 * makes the real calls, on the state in {@link KernelProcess}.
 *
 * <p>Each call runs on the process's own thread; a call that stays incomplete (see {@link
 * #await}) is "block", and the later Wake step waits (generously) for it to finish. Steps this
 * driver does not perform (fork, exit, signals, kill, more processes) throw {@link
 * StepNotPerformed}.
 */
public final class KernelRun implements Target.Run {
    private final KernelProcess k;
    private final Timeouts timeouts;
    private final ExecutorService process1;
    private final int tid1; // process 1's thread, to see in /proc whether it sleeps in a pipe wait
    private Future<Outcome> blocked;
    private Action blockedAction;
    private final int problemsBefore = KernelUnderTest.problems().size(); // console problems seen before this run

    KernelRun(Syscalls sys, Config cfg, Timeouts timeouts, DataPattern pattern) {
        this.k = new KernelProcess(sys, cfg, pattern);
        this.timeouts = timeouts;
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
        return start(KernelCalls.of(action), action, specBlocks);
    }

    private <A extends Action> Outcome start(KernelCall<A> call, A action, boolean specBlocks) {
        k.blockedWriteMoved = 0;
        int queuedBefore = action instanceof Action.Write ? k.queuedRuns() : 0;
        Future<Outcome> f = process1.submit(() -> call.perform(k, action));
        Outcome done = await(f, specBlocks);
        if (done != null) {
            return done;
        }
        blocked = f;
        blockedAction = action;
        return call.blocked(k, action, queuedBefore);
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
            if (!k.sys.pipeWaiting(tid1)) {
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
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
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
            return stillBlocked(KernelCalls.of(blockedAction), blockedAction);
        }
        blocked = null;
        Action a = blockedAction;
        blockedAction = null;
        if (a instanceof Action.Write w && done instanceof Outcome.Write x && k.blockedWriteMoved > 0) {
            // the spec records a woken write with the data that was still to go
            return new Outcome.Write(1, w.data().from(k.blockedWriteMoved), x.sigpipe(), x.ret(), x.val());
        }
        return done;
    }

    private <A extends Action> Outcome stillBlocked(KernelCall<A> call, A action) {
        return call.blocked(k, action, 0);
    }

    /**
     * Ends the run: closing both ends first wakes whatever is still blocked (EOF for readers and
     * loads, EPIPE for writers); only then are the mappings removed, so that cleanup never waits
     * behind a fault that is still waiting for data.
     */
    @Override
    public void close() {
        k.release();
        process1.shutdownNow();
        List<String> problems = KernelUnderTest.problems();
        if (problems.size() > problemsBefore) {
            throw new OutsideSpec("the kernel reported a problem in the guest console during this run: "
                    + problems.subList(problemsBefore, problems.size()));
        }
    }
}
