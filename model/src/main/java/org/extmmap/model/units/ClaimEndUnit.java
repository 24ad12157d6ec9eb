package org.extmmap.model.units;

import java.util.function.Consumer;
import org.extmmap.model.Action;
import org.extmmap.model.End;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.NextState;
import org.extmmap.model.Obj;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;
import org.extmmap.model.SpecRecord;
import org.extmmap.model.State;

/** The end query: how many of a claim's bytes are stream bytes so far, and whether that is final. */
final class ClaimEndUnit extends BaseUnit<Action.ClaimEnd> {
    ClaimEndUnit() {
        super(Action.ClaimEnd.class, When.IDLE, "ClaimEnd", "ClaimEndExact", "pipe_claim_end pipe_ioctl",
                "claim_end");
    }

    @Override
    public void arguments(ExtMmap m, State s, int p, Consumer<? super Action.ClaimEnd> out) {
        eachMapped(s, p, o -> out.accept(new Action.ClaimEnd(p, o)));
    }

    @Override
    public State step(ExtMmap m, State s, Action.ClaimEnd a) {
        int p = a.p();
        int o = a.o();
        if (!m.ready(s, p, "claimend") || !s.fds(p).contains(End.R) || o < 1 || o > s.objs().size()
                || !ExtMmap.mappedBy(s, p, o)) {
            return null;
        }
        NextState d = new NextState(s);
        if (s.obj(o) instanceof Obj.Claim c) {
            int n = Math.min(c.len(), Math.max(0, s.w() - c.base()));
            d.last = new Outcome.ClaimEnd(p, o, Ret.OK, n, m.eof(s) || n == c.len());
        } else {
            d.last = new Outcome.ClaimEnd(p, o, Ret.EINVAL, 0, false);
        }
        return d.build();
    }

    @Override
    public Action.ClaimEnd decode(SpecRecord last) {
        return new Action.ClaimEnd(last.p(), last.integer("o"));
    }
}
