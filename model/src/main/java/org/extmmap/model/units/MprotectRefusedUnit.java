package org.extmmap.model.units;

import java.util.function.Consumer;
import org.extmmap.model.Action;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.SpecRecord;
import org.extmmap.model.State;
import org.extmmap.model.NextState;
import org.extmmap.model.Outcome;
import org.extmmap.model.Prot;
import org.extmmap.model.Ret;

/** mprotect() cannot make a shared read mapping writable, nor any pipe mapping executable. */
final class MprotectRefusedUnit extends BaseUnit<Action.MprotectRefused> {
    MprotectRefusedUnit() {
        super(Action.MprotectRefused.class, When.IDLE, "MprotectRefused", "", "pipe_claim_mmap pipe_window_mmap",
                "claim_is_fixed rdwr_reopen_claim_is_read_only");
    }

    @Override
    public void arguments(ExtMmap m, State s, int p, Consumer<? super Action.MprotectRefused> out) {
        eachMapped(s, p, o -> {
            out.accept(new Action.MprotectRefused(p, o, Prot.RW));
            out.accept(new Action.MprotectRefused(p, o, Prot.RX));
        });
    }

    @Override
    public State step(ExtMmap m, State s, Action.MprotectRefused a) {
        int p = a.p();
        int o = a.o();
        if (!m.ready(s, p, "mprotect") || o < 1 || o > s.objs().size() || !ExtMmap.mappedBy(s, p, o)) {
            return null;
        }
        boolean refused = a.prot() == Prot.RX
                || a.prot() == Prot.RW && ExtMmap.isClaim(s, o) && ExtMmap.claim(s, o).shared();
        if (!refused) {
            return null;
        }
        NextState d = new NextState(s);
        d.last = new Outcome.Mprotect(p, o, a.prot(), Ret.EACCES);
        return d.build();
    }

    @Override
    public Action.MprotectRefused decode(SpecRecord last) {
        return new Action.MprotectRefused(last.p(), last.integer("o"), last.prot());
    }
}
