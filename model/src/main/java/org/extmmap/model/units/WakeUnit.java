package org.extmmap.model.units;

import java.util.function.Consumer;
import org.extmmap.model.Action;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.SpecRecord;
import org.extmmap.model.State;
import org.extmmap.model.Pending;

/**
 * Wake: a blocked call completes once the rule allows it (a writer moves what now fits). While
 * one can, it is the only step.
 */
final class WakeUnit extends BaseUnit<Action.Wake> {
    WakeUnit() {
        super(Action.Wake.class, When.WAKE_PENDING, "Wake CanWake WakePending ReadDone FaultStep WriteStep CommitStep",
                "BlockedCallsComplete NoHiddenDeadlock", "pipe_claim_woken pipe_claim_wait pipe_write __pipe_xmap_append_done",
                "load_waits_and_restarts commit_blocks_when_full load_wakes_when_the_write_returns");
    }

    @Override
    public void arguments(ExtMmap m, State s, int p, Consumer<? super Action.Wake> out) {
        out.accept(new Action.Wake(p));
    }

    @Override
    public State step(ExtMmap m, State s, Action.Wake a) {
        int p = a.p();
        if (!m.canWake(s, p)) {
            return null;
        }
        Pending pc = s.pc(p);
        if (pc instanceof Pending.Reading x) {
            var d = m.readDone(s, p, x.n());
            d.pc(p, Pending.IDLE);
            return d.build();
        } else if (pc instanceof Pending.Faulting f) {
            return m.faultStep(s, p, f.o(), f.i(), f);
        } else if (pc instanceof Pending.Writing w) {
            return m.writeStep(s, p, w.data(), w.done(), false);
        }
        Pending.Syncing y = (Pending.Syncing) pc;
        return m.commitStep(s, p, y.o(), y.e(), false);
    }

    @Override
    public Action.Wake decode(SpecRecord last) {
        return new Action.Wake(last.p());
    }
}
