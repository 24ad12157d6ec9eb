package org.extmmap.model.units;

import java.util.function.Consumer;
import org.extmmap.model.Action;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.SpecRecord;
import org.extmmap.model.State;
import org.extmmap.model.NextState;
import org.extmmap.model.Outcome;
import org.extmmap.model.Pending;
import org.extmmap.model.Ret;

/** A caught signal to a blocked process: a fault runs the handler and restarts; read, write and msync return. */
final class SignalUnit extends BaseUnit<Action.Signal> {
    SignalUnit() {
        super(Action.Signal.class, When.BLOCKED, "Signal Interruptible", "", "pipe_claim_sleep pipe_window_commit",
                "load_waits_and_restarts commit_interrupted");
    }

    @Override
    public void arguments(ExtMmap m, State s, int p, Consumer<? super Action.Signal> out) {
        out.accept(new Action.Signal(p));
    }

    @Override
    public State step(ExtMmap m, State s, Action.Signal a) {
        int p = a.p();
        if (!m.interruptible(s, p, "signal")) {
            return null;
        }
        NextState d = new NextState(s);
        Pending pc = s.pc(p);
        if (pc instanceof Pending.Faulting) {
            d.last = new Outcome.Signal(p, Ret.RESTART, 0);
        } else {
            d.pc(p, Pending.IDLE);
            int done = pc instanceof Pending.Writing w ? w.done() : 0;
            d.last = new Outcome.Signal(p, done > 0 ? Ret.OK : Ret.EINTR, done);
        }
        return d.build();
    }

    @Override
    public Action.Signal decode(SpecRecord last) {
        return new Action.Signal(last.p());
    }
}
