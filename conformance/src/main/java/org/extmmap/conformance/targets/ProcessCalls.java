package org.extmmap.conformance.targets;

import org.extmmap.conformance.graph.CProgram;
import org.extmmap.model.Action;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;

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

        /** Written by the blocked call's own KernelCall, awaiting its result instead of making it. */
        @Override
        public boolean reproduce(CProgram c, int n, Action.Wake a, Outcome spec) {
            Action call = c.blocked.get(a.p());
            if (call == null) {
                return false;
            }
            c.waking = a.p();
            try {
                return KernelCalls.reproduce(c, n, call, spec);
            } finally {
                c.waking = 0;
            }
        }
    }

    /** fork(): a real fork of the process; the child is a process of the run. */
    static final class ForkCall extends KernelCall.OfProcesses<Action.Fork> {
        @Override
        public Outcome step(KernelRun run, Action.Fork a, boolean specBlocks) {
            return run.fork(a.p());
        }

        @Override
        public boolean reproduce(CProgram c, int n, Action.Fork a, Outcome spec) {
            c.result(n, a.toString(), spec, "proc_fork(" + a.p() + ", " + ((Outcome.Fork) spec).child() + ")",
                    "r.done");
            return true;
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

        @Override
        public boolean reproduce(CProgram c, int n, A a, Outcome spec) {
            c.result(n, a.toString(), spec, "proc_vanish(" + a.p() + ", " + (killed ? 1 : 0) + ")", "r.done");
            return true;
        }
    }

    /** A caught SIGUSR1 (no SA_RESTART) sent to the thread of the process's blocked call. */
    static final class SignalCall extends KernelCall.OfProcesses<Action.Signal> {
        @Override
        public Outcome step(KernelRun run, Action.Signal a, boolean specBlocks) {
            return run.signal(a.p());
        }

        /** A fault restarts (its call stays blocked); a read, write or msync ends with EINTR or a count. */
        @Override
        public boolean reproduce(CProgram c, int n, Action.Signal a, Outcome spec) {
            Outcome.Signal o = (Outcome.Signal) spec;
            boolean restarts = o.ret() == Ret.RESTART;
            c.result(n, a.toString(), spec, "proc_signal(" + a.p() + ", " + (restarts ? 1 : 0) + ")", restarts
                    ? "r.blocked" : CProgram.retIs(o.ret(), "r.ret == " + o.val() * c.run));
            return true;
        }
    }
}
