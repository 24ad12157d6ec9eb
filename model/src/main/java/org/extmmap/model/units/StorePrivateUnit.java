package org.extmmap.model.units;

import java.util.function.Consumer;
import org.extmmap.model.Action;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.SpecRecord;
import org.extmmap.model.State;
import org.extmmap.model.FaultOp;
import org.extmmap.model.Obj;
import org.extmmap.model.Pending;

/** A store to a MAP_PRIVATE claim: faults the page in like a load, then changes this process's copy only. */
final class StorePrivateUnit extends BaseUnit<Action.StorePrivate> {
    StorePrivateUnit() {
        super(Action.StorePrivate.class, When.IDLE, "StorePrivate FaultStep LoadRule", "LoadIntegrity ZeroFillAndSigbus",
                "pipe_claim_fault pipe_claim_mmap", "private_copy_on_write");
    }

    @Override
    public void arguments(ExtMmap m, State s, int p, Consumer<? super Action.StorePrivate> out) {
        eachMapped(s, p, Obj.Claim.class, (o, c) -> {
            if (c.rw()) {
                eachMappedOffset(m, s, p, o, i -> m.config().alpha()
                        .forEach(v -> out.accept(new Action.StorePrivate(p, o, i, v & 0xff))));
            }
        });
    }

    @Override
    public State step(ExtMmap m, State s, Action.StorePrivate a) {
        int p = a.p();
        int o = a.o();
        if (!m.ready(s, p, "store") || !ExtMmap.isClaim(s, o) || !ExtMmap.claim(s, o).rw() || !m.offsetInRange(a.i())
                || !m.letter(a.v()) || !s.maps(p, o).contains(a.i() / m.config().p())) {
            return null;
        }
        return m.faultStep(s, p, o, a.i(), new Pending.Faulting(FaultOp.STORE, o, a.i(), a.v()));
    }

    @Override
    public Action.StorePrivate decode(SpecRecord last) {
        return new Action.StorePrivate(last.p(), last.integer("o"), last.integer("i"), last.letter("v"));
    }
}
