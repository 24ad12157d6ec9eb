package org.extmmap.model.units;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.extmmap.model.Action;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.SpecRecord;
import org.extmmap.model.State;
import org.extmmap.model.NextState;
import org.extmmap.model.Obj;
import org.extmmap.model.Outcome;
import org.extmmap.model.PageSet;
import org.extmmap.model.Ret;

/** munmap() of pages [a, b): read mappings split freely; a window goes whole or not at all (EINVAL). */
final class MunmapUnit extends BaseUnit<Action.Munmap> {
    MunmapUnit() {
        super(Action.Munmap.class, When.IDLE, "Munmap Collect EndOf", "RefsExact ClaimStoreIntegrity",
                "pipe_claim_vm_close pipe_window_vm_close pipe_window_may_split pipe_pool_put",
                "munmap_drops_claim lifetime pages_in_use_are_not_recycled");
    }

    @Override
    public void arguments(ExtMmap m, State s, int p, Consumer<? super Action.Munmap> out) {
        eachMapped(s, p, o -> {
            int pages = m.config().pages(s.obj(o) instanceof Obj.Gone ? 0 : ExtMmap.length(s.obj(o)));
            for (int a = 0; a < pages; a++) {
                for (int b = a + 1; b <= pages; b++) {
                    out.accept(new Action.Munmap(p, o, a, b));
                }
            }
        });
    }

    @Override
    public State step(ExtMmap m, State s, Action.Munmap x) {
        int p = x.p();
        int o = x.o();
        int a = x.a();
        int b = x.b();
        if (!m.ready(s, p, "munmap") || o < 1 || o > s.objs().size() || s.obj(o) instanceof Obj.Gone
                || !ExtMmap.mappedBy(s, p, o) || a < 0 || a >= b || b > m.config().pages(ExtMmap.length(s.obj(o)))) {
            return null;
        }
        PageSet range = PageSet.range(a, b);
        PageSet mine = s.maps(p, o);
        if (!range.intersects(mine)) {
            return null;
        }
        NextState d = new NextState(s);
        if (s.obj(o) instanceof Obj.Window && !mine.subsetOf(range)) {
            d.last = new Outcome.Munmap(p, o, a, b, Ret.EINVAL);
            return d.build();
        }
        d.maps(p, o, mine.minus(range));
        boolean gone = d.maps.get(p - 1).get(o - 1).isEmpty();
        int pg = m.config().p();
        Map<Integer, Integer> kept = new HashMap<>();
        s.mods(p, o).forEach((i, v) -> {
            if (i / pg < a || i / pg >= b) {
                kept.put(i, v);
            }
        });
        d.mods(p, o, Map.copyOf(kept));
        d.objs = m.collect(s.objs(), d.maps);
        boolean claim = s.obj(o) instanceof Obj.Claim;
        d.rrefs = gone && claim ? s.rrefs() - 1 : s.rrefs();
        d.wrefs = gone && !claim ? s.wrefs() - 1 : s.wrefs();
        d.last = new Outcome.Munmap(p, o, a, b, Ret.OK);
        return d.build();
    }

    @Override
    public Action.Munmap decode(SpecRecord last) {
        return new Action.Munmap(last.p(), last.integer("o"), last.integer("a"), last.integer("b"));
    }
}
