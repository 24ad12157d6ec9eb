package org.extmmap.model.units;

import java.util.function.Consumer;
import org.extmmap.model.Action;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.SpecRecord;
import org.extmmap.model.State;
import org.extmmap.model.Bytes;
import org.extmmap.model.FaultOp;
import org.extmmap.model.NextState;
import org.extmmap.model.Obj;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;

/** A store to a window changes the window only; readers see nothing until msync() commits it. */
final class StoreWindowUnit extends BaseUnit<Action.StoreWindow> {
    StoreWindowUnit() {
        super(Action.StoreWindow.class, When.IDLE, "StoreWindow FaultHist", "BufferIsUnpulledStream",
                "pipe_window_fault pipe_window_page pipe_pool_get",
                "window_commit window_store_maps_ahead lent_page_copies_do_not_leak recycled_window_pages_start_zeroed");
    }

    @Override
    public void arguments(ExtMmap m, State s, int p, Consumer<? super Action.StoreWindow> out) {
        eachMapped(s, p, Obj.Window.class, (o, w) -> {
            for (int i = 0; i < w.len(); i++) {
                int at = i;
                m.config().alpha().forEach(v -> out.accept(new Action.StoreWindow(p, o, at, v & 0xff)));
            }
        });
    }

    @Override
    public State step(ExtMmap m, State s, Action.StoreWindow a) {
        Obj.Window w = ExtMmap.mappedWindow(s, a.p(), a.o());
        if (!m.ready(s, a.p(), "store") || w == null || a.i() < 0 || a.i() >= w.len() || !m.letter(a.v())) {
            return null;
        }
        NextState d = new NextState(s);
        d.objs = NextState.replace(s.objs(), a.o(), new Obj.Window(w.len(), w.data().with(a.i(), a.v()), w.c()));
        d.last = new Outcome.Fault(a.p(), FaultOp.STORE, a.o(), a.i(), a.v(), Ret.OK, Bytes.NONE);
        return d.build();
    }

    @Override
    public Action.StoreWindow decode(SpecRecord last) {
        return new Action.StoreWindow(last.p(), last.integer("o"), last.integer("i"), last.letter("v"));
    }
}
