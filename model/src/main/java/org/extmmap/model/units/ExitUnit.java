package org.extmmap.model.units;

import java.util.function.Consumer;
import org.extmmap.model.Action;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.SpecRecord;
import org.extmmap.model.State;

/** exit() of an idle process: every descriptor and mapping goes (Vanish). */
final class ExitUnit extends BaseUnit<Action.Exit> {
    ExitUnit() {
        super(Action.Exit.class, When.IDLE, "Exit Vanish Collect RefsOf", "RefsExact",
                "pipe_claim_vm_close pipe_window_vm_close", "lifetime");
    }

    @Override
    public void arguments(ExtMmap m, State s, int p, Consumer<? super Action.Exit> out) {
        out.accept(new Action.Exit(p));
    }

    @Override
    public State step(ExtMmap m, State s, Action.Exit a) {
        return m.ready(s, a.p(), "exit") ? m.vanish(s, a.p(), false) : null;
    }

    @Override
    public Action.Exit decode(SpecRecord last) {
        return new Action.Exit(last.p());
    }
}
