package org.extmmap.model.units;

import java.util.function.Consumer;
import org.extmmap.model.Action;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.SpecRecord;
import org.extmmap.model.State;
import org.extmmap.model.End;
import org.extmmap.model.NextState;
import org.extmmap.model.Outcome;

/** poll() with FIONREAD: readable exactly when read() would not block; only bytes read() could return count. */
final class PollUnit extends BaseUnit<Action.Poll> {
    PollUnit() {
        super(Action.Poll.class, When.IDLE, "Poll ReadReady", "", "pipe_poll_unclaimed pipe_xmap_unclaimed pipe_ioctl",
                "fionread_and_poll");
    }

    @Override
    public void arguments(ExtMmap m, State s, int p, Consumer<? super Action.Poll> out) {
        out.accept(new Action.Poll(p));
    }

    @Override
    public State step(ExtMmap m, State s, Action.Poll a) {
        int p = a.p();
        if (!m.ready(s, p, "poll") || !s.fds(p).contains(End.R)) {
            return null;
        }
        NextState d = new NextState(s);
        d.last = new Outcome.Poll(p, m.readReady(s), Math.max(0, s.w() - s.r()));
        return d.build();
    }

    @Override
    public Action.Poll decode(SpecRecord last) {
        return new Action.Poll(last.p());
    }
}
