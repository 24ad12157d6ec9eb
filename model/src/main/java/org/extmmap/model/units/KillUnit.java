package org.extmmap.model.units;

import java.util.function.Consumer;
import org.extmmap.model.Action;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.SpecRecord;
import org.extmmap.model.State;

/** SIGKILL of a blocked process: every descriptor and mapping goes (Vanish). */
final class KillUnit extends BaseUnit<Action.Kill> {
    KillUnit() {
        super(Action.Kill.class, When.BLOCKED, "Kill Vanish Interruptible", "RefsExact",
                "pipe_claim_sleep pipe_claim_vm_close", "lifetime");
    }

    @Override
    public void arguments(ExtMmap m, State s, int p, Consumer<? super Action.Kill> out) {
        out.accept(new Action.Kill(p));
    }

    @Override
    public State step(ExtMmap m, State s, Action.Kill a) {
        return m.interruptible(s, a.p(), "kill") ? m.vanish(s, a.p(), true) : null;
    }

    @Override
    public Action.Kill decode(SpecRecord last) {
        return new Action.Kill(last.p());
    }
}
