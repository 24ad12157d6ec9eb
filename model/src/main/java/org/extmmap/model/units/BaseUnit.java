package org.extmmap.model.units;

import java.util.function.BiConsumer;
import java.util.function.IntConsumer;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.Obj;
import org.extmmap.model.Action;
import org.extmmap.model.State;

/** What every unit has: its action type, when it applies, and its trace. */
abstract class BaseUnit<A extends Action> implements Unit<A> {
    private final Class<A> type;
    private final When when;
    private final Trace trace;

    /** Names separated by spaces: spec definitions, properties, kernel functions, selftests. */
    BaseUnit(Class<A> type, When when, String spec, String properties, String kernel, String selftests) {
        this.type = type;
        this.when = when;
        this.trace = new Trace(names(spec), names(properties), names(kernel), names(selftests));
    }

    private static java.util.List<String> names(String s) {
        return s.isBlank() ? java.util.List.of() : java.util.List.of(s.strip().split("\\s+"));
    }

    @Override
    public final Class<A> type() {
        return type;
    }

    @Override
    public final When when() {
        return when;
    }

    @Override
    public final Trace trace() {
        return trace;
    }

    /** Every mapping id of the given kind of which p maps a page, with its object. */
    static <T extends Obj> void eachMapped(State s, int p, Class<T> kind, BiConsumer<Integer, T> f) {
        eachMapped(s, p, o -> {
            if (kind.isInstance(s.obj(o))) {
                f.accept(o, kind.cast(s.obj(o)));
            }
        });
    }

    /** Every offset of every page of mapping o that p maps. */
    static void eachMappedOffset(ExtMmap m, State s, int p, int o, IntConsumer f) {
        int pg = m.config().p();
        for (int k : s.maps(p, o).stream().toArray()) {
            for (int i = k * pg; i < (k + 1) * pg; i++) {
                f.accept(i);
            }
        }
    }

    /** Every mapping id of which p maps a page. */
    static void eachMapped(State s, int p, IntConsumer f) {
        for (int o = 1; o <= s.objs().size(); o++) {
            if (!s.maps(p, o).isEmpty()) {
                f.accept(o);
            }
        }
    }
}
