package org.extmmap.conformance.targets;

import org.extmmap.model.Action;
import org.extmmap.model.Outcome;

/** The kernel halves of the spec's process steps: each is a step of {@link KernelRun}'s processes. */
final class ProcessCalls {
    private ProcessCalls() {
    }

    /** A blocked call completing: awaited, not made. */
    static final class WakeCall extends KernelCall.OfProcesses<Action.Wake> {
        @Override
        public Outcome step(KernelRun run, Action.Wake a, boolean specBlocks) {
            return run.awaitWake(a.p(), specBlocks);
        }
    }

    /** fork(): a real fork of the process; the child is a process of the run. */
    static final class ForkCall extends KernelCall.OfProcesses<Action.Fork> {
        @Override
        public Outcome step(KernelRun run, Action.Fork a, boolean specBlocks) {
            return run.fork(a.p());
        }
    }

    /** exit() of an idle process, or SIGKILL of a blocked one: the real ones. */
    static final class VanishCall<A extends Action> extends KernelCall.OfProcesses<A> {
        private final boolean killed;

        VanishCall(boolean killed) {
            this.killed = killed;
        }

        @Override
        public Outcome step(KernelRun run, A a, boolean specBlocks) {
            return run.vanish(a.p(), killed);
        }
    }

    /** A caught SIGUSR1 (no SA_RESTART) sent to the thread of the process's blocked call. */
    static final class SignalCall extends KernelCall.OfProcesses<Action.Signal> {
        @Override
        public Outcome step(KernelRun run, Action.Signal a, boolean specBlocks) {
            return run.signal(a.p());
        }
    }
}
