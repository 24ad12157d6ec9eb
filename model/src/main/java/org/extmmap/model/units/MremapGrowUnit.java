package org.extmmap.model.units;

import java.util.function.Consumer;
import org.extmmap.model.Action;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.SpecRecord;
import org.extmmap.model.State;
import org.extmmap.model.NextState;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;

/** mremap() growing a pipe mapping by a page: always refused (VM_DONTEXPAND). */
final class MremapGrowUnit extends BaseUnit<Action.MremapGrow> {
    MremapGrowUnit() {
        super(Action.MremapGrow.class, When.IDLE, "MremapGrow", "", "pipe_claim_mmap pipe_window_mmap",
                "claim_is_fixed");
    }

    @Override
    public void arguments(ExtMmap m, State s, int p, Consumer<? super Action.MremapGrow> out) {
        eachMapped(s, p, o -> out.accept(new Action.MremapGrow(p, o)));
    }

    @Override
    public State step(ExtMmap m, State s, Action.MremapGrow a) {
        int p = a.p();
        int o = a.o();
        if (!m.ready(s, p, "mremap") || o < 1 || o > s.objs().size() || !ExtMmap.mappedBy(s, p, o)) {
            return null;
        }
        NextState d = new NextState(s);
        int pg = m.config().p();
        d.last = new Outcome.Mremap(p, o, m.config().pages(ExtMmap.length(s.obj(o))) * pg + pg, Ret.EFAULT);
        return d.build();
    }

    @Override
    public Action.MremapGrow decode(SpecRecord last) {
        return new Action.MremapGrow(last.p(), last.integer("o"));
    }
}
