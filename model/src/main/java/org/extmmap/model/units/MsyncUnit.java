package org.extmmap.model.units;

import java.util.function.Consumer;
import org.extmmap.model.Action;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.SpecRecord;
import org.extmmap.model.State;
import org.extmmap.model.NextState;
import org.extmmap.model.Obj;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;

/** msync(MS_SYNC) of a window up to byte e: commits [c, e) exactly, like write(); ENOMEM past the window. */
final class MsyncUnit extends BaseUnit<Action.Msync> {
    MsyncUnit() {
        super(Action.Msync.class, When.IDLE, "Msync CommitStep AppendData MsyncHist",
                "Capacity EpipeOnlyWithoutReaders BufferIsUnpulledStream",
                "pipe_window_msync pipe_window_commit pipe_window_lend pipe_window_copy",
                "window_commit commit_lends_whole_pages commit_lends_out_of_every_mapping commit_blocks_when_full commit_interrupted commit_epipe");
    }

    @Override
    public void arguments(ExtMmap m, State s, int p, Consumer<? super Action.Msync> out) {
        eachMapped(s, p, Obj.Window.class, (o, w) -> {
            for (int e = 1; e <= m.config().maxLen() + 1; e++) {
                out.accept(new Action.Msync(p, o, e));
            }
        });
    }

    @Override
    public State step(ExtMmap m, State s, Action.Msync a) {
        int p = a.p();
        int o = a.o();
        int e = a.e();
        Obj.Window w = ExtMmap.mappedWindow(s, p, o);
        if (!m.ready(s, p, "msync") || w == null || e < 1 || e > Math.min(m.config().maxLen(), w.len()) + 1) {
            return null;
        }
        NextState d = new NextState(s);
        if (e > w.len()) {
            d.last = new Outcome.Msync(p, o, e, false, Ret.ENOMEM);
            return d.build();
        } else if (e <= w.c()) {
            d.last = new Outcome.Msync(p, o, e, false, Ret.OK);
            return d.build();
        } else if (s.stream().length() + e - w.c() > m.config().maxW()) {
            return null;
        }
        return m.commitStep(s, p, o, e, true);
    }

    @Override
    public Action.Msync decode(SpecRecord last) {
        return new Action.Msync(last.p(), last.integer("o"), last.integer("e"));
    }
}
