package org.extmmap.conformance.targets;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.extmmap.conformance.sys.KernelUnderTest;
import org.extmmap.conformance.sys.Syscalls;
import org.extmmap.model.Action;
import org.extmmap.model.Config;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;

/**
 * One test against the real kernel: a real pipe and the spec's processes. Where the calls are
 * made by an agent, each spec process is a real process of its own (process 1 spawned for the
 * run, the others real forks); this JVM's own calls are one process that cannot fork. This
 * class owns each process's thread, decides when a call counts as blocked, and takes the steps
 * of processes (wake, fork, exit, signals, kill); each action's {@link KernelCall} makes the
 * real calls, on the state in {@link KernelProcess}.
 *
 * <p>Each call runs on its process's own thread; a call that stays incomplete (see {@link
 * #await}) is "block", and the later Wake step waits (generously) for it to finish.
 */
public final class KernelRun implements Target.Run {
    /** A spec process in the run: its state, its thread, and the call it is blocked in. */
    private static final class Proc {
        final KernelProcess k;
        final ExecutorService thread;
        final int tid; // to see in /proc whether the thread sleeps in a pipe wait, and to signal it
        Future<Outcome> blocked;
        Action blockedAction;

        Proc(KernelProcess k) {
            this.k = k;
            this.thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "spec-process-" + k.p);
                t.setDaemon(true); // a call the kernel never completes must not keep the JVM alive
                return t;
            });
            try {
                this.tid = thread.submit(() -> {
                    k.gate.own(Thread.currentThread());
                    return k.sys.gettid();
                }).get();
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException("gettid on the thread of process " + k.p, e);
            }
        }
    }

    private final Timeouts timeouts;
    private final boolean ownProcesses; // the spec's processes are real processes of their own
    private final Map<Integer, Proc> procs = new TreeMap<>();
    private int born = 1; // processes born so far: the spec's fork names the lowest unborn one
    private final int problemsBefore = KernelUnderTest.problems().size(); // console problems seen before this run

    KernelRun(Syscalls sys, Config cfg, Timeouts timeouts, DataPattern pattern) {
        this.timeouts = timeouts;
        Optional<Syscalls> spawned = sys.spawn();
        this.ownProcesses = spawned.isPresent();
        procs.put(1, new Proc(KernelProcess.first(spawned.orElse(sys), cfg, pattern)));
    }

    @Override
    public Outcome perform(Action action, boolean specBlocks) {
        return perform(action, specBlocks, false);
    }

    private boolean othersWake; // the step being taken: see Target.Run#perform(Action, boolean, boolean)

    @Override
    public Outcome perform(Action action, boolean specBlocks, boolean othersWake) {
        this.othersWake = specBlocks && othersWake;
        return step(KernelCalls.of(action), action, specBlocks);
    }

    private <A extends Action> Outcome step(KernelCall<A> call, A action, boolean specBlocks) {
        return call.step(this, action, specBlocks);
    }

    private Proc proc(int p) {
        Proc q = procs.get(p);
        if (q == null) {
            throw new IllegalStateException("process " + p + " is not alive in this run; the spec allows it no step");
        }
        return q;
    }

    /** A call on process p's thread: its outcome, or the spec's record of it seen blocked. */
    <A extends Action> Outcome call(KernelCall<A> call, A action, boolean specBlocks) {
        Proc q = proc(action.p());
        if (q.blocked != null) {
            throw new IllegalStateException("process " + action.p() + " is blocked in " + q.blockedAction
                    + "; the spec allows no " + action);
        }
        KernelProcess k = q.k;
        k.blockedWriteMoved = 0;
        // appends that block are measured by the growth of the queue (see WriteCall, MsyncCall)
        int queuedBefore = action instanceof Action.Write || action instanceof Action.Msync ? k.queuedRuns() : 0;
        if (othersWake) {
            // the spec blocks the call and wakes another process next, which may complete it
            // before the driver can look: its return waits for the Wake, and is judged there
            k.gate.close();
        }
        Future<Outcome> f = q.thread.submit(() -> call.perform(k, action));
        Outcome done = await(q, f, specBlocks);
        if (done != null) {
            return done;
        }
        k.gate.close();
        q.blocked = f;
        q.blockedAction = action;
        return call.blocked(k, action, queuedBefore);
    }

    /**
     * The call's outcome, or null while it still runs after the wait the spec's verdict calls for.
     * Where the spec says it blocks, a call seen asleep in a pipe wait for the settle time counts
     * as blocked at once; otherwise it must stay incomplete for the whole grace period.
     */
    private Outcome await(Proc q, Future<Outcome> f, boolean specBlocks) {
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
            if (q.k.gate.holding()) {
                return null; // completed, held for its Wake (only where the spec wakes another first)
            }
            long now = System.nanoTime();
            if (now - start >= timeouts.grace().toNanos()) {
                return null;
            }
            if (!q.k.sys.pipeWaiting(q.tid)) {
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

    /** Wake(p): process p's blocked call must complete now. */
    Outcome awaitWake(int p, boolean specBlocks) {
        Proc q = proc(p);
        if (q.blocked == null) {
            throw new OutsideSpec("Wake of process " + p + ", but no call of it is blocked (it completed within the"
                    + " grace period)");
        }
        q.k.gate.open();
        // where another blocked call the same event woke has completed, this one may have lost the
        // race for what it waits for (the spec wakes either first): seen asleep again, it still blocks
        Outcome done = specBlocks ? null : get(q.blocked, timeouts.grace().toMillis());
        if (done == null) {
            done = await(q, q.blocked, specBlocks || rivalCompleted(q));
        }
        if (done == null) {
            q.k.gate.close();
            if (q.blockedAction instanceof Action.Write) {
                throw new StepNotPerformed("progress of a still blocked " + q.blockedAction.label().toLowerCase()
                        + "() is not observed yet");
            }
            return stillBlocked(KernelCalls.of(q.blockedAction), q);
        }
        Action a = unblock(q);
        if (a instanceof Action.Write w && done instanceof Outcome.Write x && q.k.blockedWriteMoved > 0) {
            // the spec records a woken write with the data that was still to go
            return new Outcome.Write(p, w.data().from(q.k.blockedWriteMoved), x.sigpipe(), x.ret(), x.val());
        }
        return done;
    }

    private static Action unblock(Proc q) {
        Action a = q.blockedAction;
        q.blocked = null;
        q.blockedAction = null;
        return a;
    }

    private static <A extends Action> Outcome stillBlocked(KernelCall<A> call, Proc q) {
        @SuppressWarnings("unchecked")
        A a = (A) q.blockedAction;
        return call.blocked(q.k, a, KernelCall.STILL_BLOCKED);
    }

    private boolean rivalCompleted(Proc q) {
        for (Proc o : procs.values()) {
            if (o != q && o.blocked != null && (o.k.gate.holding() || o.blocked.isDone())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether process p's blocked call has completed in the kernel (its return held for its Wake),
     * waiting up to the grace period for it: the kernel woke it, whatever order the spec's path
     * takes the wake-ups in.
     */
    @Override
    public boolean completed(int p) {
        Proc q = procs.get(p);
        if (q == null || q.blocked == null) {
            return false;
        }
        long end = System.nanoTime() + timeouts.grace().toNanos();
        while (!q.k.gate.holding() && !q.blocked.isDone()) {
            if (System.nanoTime() >= end) {
                return false;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean processes() {
        return ownProcesses;
    }

    private void needProcesses(String step) {
        if (!ownProcesses) {
            throw new StepNotPerformed(step + " needs processes of their own; this target's calls are this JVM's"
                    + " (run with -Dextmmap.kernel=BZIMAGE: the agent makes real processes)");
        }
    }

    /** Fork(p): a real fork; the child is the lowest unborn process, as in the spec. */
    Outcome fork(int p) {
        needProcesses("fork");
        Proc parent = proc(p);
        int child = ++born;
        procs.put(child, new Proc(parent.k.forked(child, parent.k.sys.fork())));
        return new Outcome.Fork(p, child);
    }

    /** Exit(p) of an idle process or Kill(p) of a blocked one; returns once the kernel tore it down. */
    Outcome vanish(int p, boolean killed) {
        needProcesses(killed ? "SIGKILL" : "exit");
        Proc q = proc(p);
        q.k.sys.vanish(killed);
        procs.remove(p);
        q.thread.shutdownNow(); // a blocked call's thread ends with the process (its reply never comes)
        return new Outcome.Vanish(p, killed);
    }

    /**
     * Signal(p): a caught signal to the thread of p's blocked call. A blocked fault runs the handler
     * and restarts, so it must still be blocked; a blocked read, write or msync must end, with
     * EINTR or the count a write moved, which becomes the spec's record of the signal.
     */
    Outcome signal(int p) {
        needProcesses("a caught signal");
        Proc q = proc(p);
        if (q.blocked == null) {
            throw new IllegalStateException("process " + p + " is not blocked; the spec signals only blocked ones");
        }
        q.k.sys.signalCaught(q.tid).orThrow("SIGUSR1 to process " + p);
        boolean fault = q.blockedAction instanceof Action.Load || q.blockedAction instanceof Action.StoreWindow
                || q.blockedAction instanceof Action.StorePrivate;
        q.k.gate.open();
        if (fault) {
            Outcome o = await(q, q.blocked, true);
            q.k.gate.close();
            if (o != null) {
                throw new OutsideSpec("a caught signal ended the blocked fault of " + q.blockedAction + " with " + o
                        + "; the spec restarts it (it stays blocked)");
            }
            return new Outcome.Signal(p, Ret.RESTART, 0);
        }
        Outcome o = await(q, q.blocked, false);
        if (o == null) {
            throw new OutsideSpec("a caught signal did not end the blocked " + q.blockedAction + " within "
                    + timeouts.complete().toMillis() + " ms; the spec ends it with EINTR or a count");
        }
        unblock(q);
        if (o instanceof Outcome.Write w && w.ret() == Ret.OK) {
            return new Outcome.Signal(p, Ret.OK, w.val());
        }
        return new Outcome.Signal(p, o.ret(), 0);
    }

    /**
     * Ends the run. Processes of their own are killed (the kernel tears everything down);
     * this JVM's own process closes both ends first, which wakes whatever is still blocked (EOF
     * for readers and loads, EPIPE for writers), and only then removes the mappings, so that
     * cleanup never waits behind a fault that is still waiting for data.
     */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (Proc q : procs.values()) {
            try {
                if (ownProcesses) {
                    q.k.sys.vanish(true);
                } else {
                    q.k.release();
                }
            } catch (RuntimeException e) {
                failures.add(e);
            }
            q.thread.shutdownNow();
        }
        procs.clear();
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        List<String> problems = KernelUnderTest.problems();
        if (problems.size() > problemsBefore) {
            throw new OutsideSpec("the kernel reported a problem in the guest console during this run: "
                    + problems.subList(problemsBefore, problems.size()));
        }
    }
}
