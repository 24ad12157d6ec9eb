package org.extmmap.model.units;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.extmmap.model.Action;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.SpecRecord;
import org.extmmap.model.State;
import org.extmmap.model.End;
import org.extmmap.model.NextState;
import org.extmmap.model.Outcome;

/** close(): drops one reference; the last writer reference means EOF. */
final class CloseUnit extends BaseUnit<Action.Close> {
    CloseUnit() {
        super(Action.Close.class, When.IDLE, "Close EOF Readers", "RefsExact", "pipe_read pipe_write",
                "lifetime commit_epipe");
    }

    @Override
    public void arguments(ExtMmap m, State s, int p, Consumer<? super Action.Close> out) {
        for (End e : End.values()) {
            out.accept(new Action.Close(p, e));
        }
    }

    @Override
    public State step(ExtMmap m, State s, Action.Close a) {
        int p = a.p();
        End e = a.end();
        if (!m.ready(s, p, "close") || !s.fds(p).contains(e)) {
            return null;
        }
        NextState d = new NextState(s);
        Set<End> left = new HashSet<>(s.fds(p));
        left.remove(e);
        d.fds(p, Set.copyOf(left));
        d.rrefs = e == End.R ? s.rrefs() - 1 : s.rrefs();
        d.wrefs = e == End.W ? s.wrefs() - 1 : s.wrefs();
        d.last = new Outcome.Close(p, e);
        return d.build();
    }

    @Override
    public Action.Close decode(SpecRecord last) {
        return new Action.Close(last.p(), last.end());
    }
}
