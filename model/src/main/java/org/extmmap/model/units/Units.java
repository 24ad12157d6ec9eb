package org.extmmap.model.units;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.extmmap.model.Action;

/** The registry: one unit per action of the spec's Next, in the order Next lists them. */
public final class Units {
    public static final List<Unit<?>> ALL = List.of(new WakeUnit(), new ReadUnit(), new WriteUnit(), new CloseUnit(),
            new PollUnit(), new ClaimEndUnit(), new MmapUnit(), new LoadUnit(), new StorePrivateUnit(), new StoreWindowUnit(),
            new MsyncUnit(), new MunmapUnit(), new MremapGrowUnit(), new MprotectRefusedUnit(), new ForkUnit(),
            VanishUnit.exit(), new SignalUnit(), VanishUnit.kill());

    private static final Map<Class<?>, Unit<?>> BY_TYPE = new HashMap<>();
    private static final Map<String, Unit<?>> BY_LABEL = new HashMap<>();

    static {
        for (Unit<?> u : ALL) {
            if (BY_TYPE.put(u.type(), u) != null || BY_LABEL.put(u.label(), u) != null) {
                throw new ExceptionInInitializerError("two units for " + u.label());
            }
        }
    }

    private Units() {
    }

    /** The unit of an action. */
    @SuppressWarnings("unchecked")
    public static <A extends Action> Unit<A> of(A a) {
        Unit<?> u = BY_TYPE.get(a.getClass());
        if (u == null) {
            throw new IllegalArgumentException("no unit for " + a.label());
        }
        return (Unit<A>) u;
    }

    /** The unit of an edge label, or an error naming the label. */
    public static Unit<?> byLabel(String label) {
        Unit<?> u = BY_LABEL.get(label);
        if (u == null) {
            throw new IllegalArgumentException("edge label " + label + " is no action of the spec");
        }
        return u;
    }
}
