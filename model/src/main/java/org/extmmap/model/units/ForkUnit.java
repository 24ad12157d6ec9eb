package org.extmmap.model.units;

import java.util.function.Consumer;
import org.extmmap.model.Action;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.SpecRecord;
import org.extmmap.model.State;
import org.extmmap.model.End;
import org.extmmap.model.Life;
import org.extmmap.model.NextState;
import org.extmmap.model.Outcome;

/** fork(): the smallest unborn process becomes p's child, with p's descriptors and mappings. */
final class ForkUnit extends BaseUnit<Action.Fork> {
    ForkUnit() {
        super(Action.Fork.class, When.IDLE, "Fork RefsOf", "RefsExact", "pipe_claim_vm_open pipe_window_vm_open",
                "fork_shares_claim_and_window private_copy_on_write");
    }

    @Override
    public void arguments(ExtMmap m, State s, int p, Consumer<? super Action.Fork> out) {
        out.accept(new Action.Fork(p));
    }

    @Override
    public State step(ExtMmap m, State s, Action.Fork a) {
        int p = a.p();
        if (!m.ready(s, p, "fork")) {
            return null;
        }
        int q = s.life().indexOf(Life.UNBORN) + 1;
        if (q == 0) {
            return null;
        }
        NextState d = new NextState(s);
        d.life = NextState.replace(s.life(), q, Life.ALIVE);
        d.fds(q, s.fds(p));
        d.maps = NextState.replace(s.maps(), q, s.maps().get(p - 1));
        d.mods = NextState.replace(s.mods(), q, s.mods().get(p - 1));
        d.rrefs = s.rrefs() + m.refsOf(s, p, End.R);
        d.wrefs = s.wrefs() + m.refsOf(s, p, End.W);
        d.last = new Outcome.Fork(p, q);
        return d.build();
    }

    @Override
    public Action.Fork decode(SpecRecord last) {
        return new Action.Fork(last.p());
    }
}
