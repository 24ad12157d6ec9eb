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
                "pipe_window_fault", "window_commit");
    }

    @Override
    public void arguments(ExtMmap m, State s, int p, Consumer<? super Action.StoreWindow> out) {
        eachMapped(s, p, o -> {
            if (s.obj(o) instanceof Obj.Window w) {
                for (int i = 0; i < w.len(); i++) {
                    for (byte v : m.config().alpha()) {
                        out.accept(new Action.StoreWindow(p, o, i, v & 0xff));
                    }
                }
            }
        });
    }

    @Override
    public State step(ExtMmap m, State s, Action.StoreWindow a) {
        int p = a.p();
        int o = a.o();
        int i = a.i();
        if (!m.ready(s, p, "store") || !ExtMmap.isWindow(s, o) || !ExtMmap.mappedBy(s, p, o) || i < 0
                || i >= ((Obj.Window) s.obj(o)).len() || !m.letter(a.v())) {
            return null;
        }
        Obj.Window w = (Obj.Window) s.obj(o);
        NextState d = new NextState(s);
        d.objs = NextState.replace(s.objs(), o, new Obj.Window(w.len(), w.data().with(i, a.v()), w.c()));
        d.last = new Outcome.Fault(p, FaultOp.STORE, o, i, a.v(), Ret.OK, Bytes.NONE);
        return d.build();
    }

    @Override
    public Action.StoreWindow decode(SpecRecord last) {
        return new Action.StoreWindow(last.p(), last.integer("o"), last.integer("i"), last.letter("v"));
    }
}
