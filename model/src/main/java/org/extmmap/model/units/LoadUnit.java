package org.extmmap.model.units;

import java.util.function.Consumer;
import org.extmmap.model.Action;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.SpecRecord;
import org.extmmap.model.State;
import org.extmmap.model.Bytes;
import org.extmmap.model.FaultOp;
import org.extmmap.model.Obj;
import org.extmmap.model.Pending;

/**
 * A load of offset i of claim o: the fault pulls the page's bytes (with every later page of the
 * claim already complete, LoadHi), then LoadRule gives the byte, SIGBUS, or a wait. The four hops:
 * spec Load -> FaultStep -> Pull / LoadRule; this unit; kernel pipe_claim_fault ->
 * pipe_claim_lookup -> pipe_claim_fill -> pipe_xmap_pull / pipe_claim_wait, pipe_map_range;
 * selftests load_waits_and_restarts, eof_zero_fill_and_sigbus, load_maps_ready_pages_of_claim.
 */
final class LoadUnit extends BaseUnit<Action.Load> {
    LoadUnit() {
        super(Action.Load.class, When.IDLE, "Load FaultStep FaultCall FaultHist Pull LoadHi ReadyHi LoadRule LoadValue PageHi",
                "LoadIntegrity ZeroFillAndSigbus BlockOnlyWhenAllowed",
                "pipe_claim_fault pipe_claim_lookup pipe_claim_fill pipe_xmap_pull pipe_claim_wait pipe_map_range",
                "load_waits_and_restarts eof_zero_fill_and_sigbus load_maps_ready_pages_of_claim");
    }

    @Override
    public void arguments(ExtMmap m, State s, int p, Consumer<? super Action.Load> out) {
        eachMapped(s, p, Obj.Claim.class, (o, c) -> eachMappedOffset(m, s, p, o, i -> out.accept(new Action.Load(p, o, i))));
    }

    @Override
    public State step(ExtMmap m, State s, Action.Load a) {
        int p = a.p();
        if (!m.ready(s, p, "load") || !ExtMmap.isClaim(s, a.o()) || !m.offsetInRange(a.i())
                || !s.maps(p, a.o()).contains(a.i() / m.config().p())) {
            return null;
        }
        return m.faultStep(s, p, a.o(), a.i(), new Pending.Faulting(FaultOp.LOAD, a.o(), a.i(), Bytes.NONE));
    }

    @Override
    public Action.Load decode(SpecRecord last) {
        return new Action.Load(last.p(), last.integer("o"), last.integer("i"));
    }
}
