package org.extmmap.model.units;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.extmmap.model.Action;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.SpecRecord;
import org.extmmap.model.State;
import org.extmmap.model.ClaimStore;
import org.extmmap.model.Bytes;
import org.extmmap.model.End;
import org.extmmap.model.Flags;
import org.extmmap.model.MmapTry;
import org.extmmap.model.NextState;
import org.extmmap.model.Obj;
import org.extmmap.model.Outcome;
import org.extmmap.model.PageSet;
import org.extmmap.model.Prot;
import org.extmmap.model.Ret;

/** mmap(): a valid call claims [R, R + len) (read end) or makes a window (write end); one call per error. */
final class MmapUnit extends BaseUnit<Action.Mmap> {
    MmapUnit() {
        super(Action.Mmap.class, When.IDLE, "Mmap MmapOk MmapTries ValidMmap Try",
                "ClaimsExclusive RefsExact", "pipe_mmap pipe_claim_mmap pipe_window_mmap pipe_mmap_done",
                "claim_after_read read_end_errors write_end_errors rdwr_reopen_claim_is_read_only");
    }

    @Override
    public void arguments(ExtMmap m, State s, int p, Consumer<? super Action.Mmap> out) {
        for (MmapTry t : m.tries()) {
            out.accept(new Action.Mmap(p, t));
        }
    }

    @Override
    public State step(ExtMmap m, State s, Action.Mmap a) {
        int p = a.p();
        MmapTry t = a.t();
        if (!m.tried(t) || !m.ready(s, p, t.valid() ? "mmap" : "mmaperr") || !s.fds(p).contains(t.end())) {
            return null;
        }
        NextState d = new NextState(s);
        if (!t.valid()) {
            d.last = new Outcome.Mmap(p, t.end(), t.len(), t.prot(), t.flags(), t.off(), t.err(), 0);
            return d.build();
        }
        // MmapOk
        if (s.objs().size() >= m.config().maxObjs()) {
            return null;
        }
        int o = s.objs().size() + 1;
        boolean claim = t.end() == End.R;
        Obj ob = claim
                ? new Obj.Claim(s.r(), t.len(), t.flags() == Flags.SHARED, t.prot() == Prot.RW,
                        ClaimStore.empty(t.len()))
                : new Obj.Window(t.len(), Bytes.zeros(t.len()), 0);
        d.objs = NextState.append(s.objs(), ob);
        d.maps = new ArrayList<>();
        d.mods = new ArrayList<>();
        for (int q = 1; q <= s.nProcs(); q++) {
            d.maps.add(NextState.append(s.maps().get(q - 1),
                    q == p ? PageSet.range(0, m.config().pages(t.len())) : PageSet.EMPTY));
            d.mods.add(NextState.append(s.mods().get(q - 1), Map.of()));
        }
        d.r = claim ? s.r() + t.len() : s.r();
        d.rrefs = claim ? s.rrefs() + 1 : s.rrefs();
        d.wrefs = claim ? s.wrefs() : s.wrefs() + 1;
        d.last = new Outcome.Mmap(p, t.end(), t.len(), t.prot(), t.flags(), 0, Ret.OK, o);
        return d.build();
    }

    @Override
    public Action.Mmap decode(SpecRecord last) {
        return new Action.Mmap(last.p(), new MmapTry(last.end(), last.prot(), last.flags(), last.integer("len"),
                last.integer("off"), last.ret()));
    }
}
