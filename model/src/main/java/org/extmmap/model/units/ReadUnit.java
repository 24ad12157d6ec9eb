package org.extmmap.model.units;

import java.util.function.Consumer;
import org.extmmap.model.Action;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.SpecRecord;
import org.extmmap.model.State;
import org.extmmap.model.End;
import org.extmmap.model.NextState;
import org.extmmap.model.Outcome;
import org.extmmap.model.Pending;
import org.extmmap.model.Ret;
import org.extmmap.model.Bytes;

/** read(n): returns the bytes after every claimed range, blocks while none is there and no EOF. */
final class ReadUnit extends BaseUnit<Action.Read> {
    ReadUnit() {
        super(Action.Read.class, When.IDLE, "Read ReadDone ReadReady Pull ReadHist",
                "ReadIntegrity BlockOnlyWhenAllowed", "pipe_read __pipe_xmap_prepare_read pipe_xmap_pull",
                "claim_after_read stream_mixed");
    }

    @Override
    public void arguments(ExtMmap m, State s, int p, Consumer<? super Action.Read> out) {
        for (int n = 1; n <= m.config().maxIO(); n++) {
            out.accept(new Action.Read(p, n));
        }
    }

    @Override
    public State step(ExtMmap m, State s, Action.Read a) {
        int p = a.p();
        int n = a.n();
        if (!m.ready(s, p, "read") || !s.fds(p).contains(End.R) || n < 1 || n > m.config().maxIO()) {
            return null;
        }
        if (m.readReady(s)) {
            return m.readDone(s, p, n).build();
        }
        NextState d = new NextState(s).mechanism(m.pull(s, s.r()));
        d.pc(p, new Pending.Reading(n));
        d.last = new Outcome.Read(p, n, s.r(), Ret.BLOCK, Bytes.EMPTY);
        return d.build();
    }

    @Override
    public Action.Read decode(SpecRecord last) {
        return new Action.Read(last.p(), last.integer("n"));
    }
}
