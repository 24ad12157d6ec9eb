package org.extmmap.conformance.targets;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.extmmap.conformance.graph.CProgram;
import org.extmmap.model.Action;
import org.extmmap.model.Outcome;
import org.extmmap.model.units.Unit;
import org.extmmap.model.units.Units;

/**
 * The kernel halves of the spec's units, one per unit of {@link Units#ALL}; a unit the driver
 * does not perform yet says why. Built from the units, so that a unit without a kernel half
 * stops the suite at once.
 */
public final class KernelCalls {
    private static final List<KernelCall<?>> ALL = List.of(new ReadCall(), new WriteCall(), new CloseCall(),
            new PollCall(), new MmapCall(), new LoadCall(), new StorePrivateCall(), new StoreWindowCall(),
            new MsyncCall(), new MunmapCall(), new MremapGrowCall(), new MprotectRefusedCall(),
            new KernelCall.NotPerformed<>(Action.Wake.class, "a wake-up is awaited by KernelRun, not made"),
            new KernelCall.NotPerformed<>(Action.Fork.class, "the driver runs process 1 only so far"),
            new KernelCall.NotPerformed<>(Action.Exit.class, "the driver runs process 1 only so far"),
            new KernelCall.NotPerformed<>(Action.Signal.class, "signals need processes of their own"),
            new KernelCall.NotPerformed<>(Action.Kill.class, "SIGKILL needs processes of their own"));

    private static final Map<Class<?>, KernelCall<?>> BY_TYPE = new HashMap<>();

    static {
        for (KernelCall<?> c : ALL) {
            if (BY_TYPE.put(c.type(), c) != null) {
                throw new ExceptionInInitializerError("two kernel calls for " + c.type().getSimpleName());
            }
        }
        List<String> missing = missing(Units.ALL, BY_TYPE.keySet());
        if (!missing.isEmpty()) {
            throw new ExceptionInInitializerError("units without a kernel half in KernelCalls: " + missing);
        }
    }

    /** The labels of the units whose action type has no kernel half in {@code have}. */
    static List<String> missing(List<Unit<?>> units, Set<Class<?>> have) {
        return units.stream().filter(u -> !have.contains(u.type())).map(Unit::label).toList();
    }

    private KernelCalls() {
    }

    /** The kernel half of an action's unit. */
    @SuppressWarnings("unchecked")
    public static <A extends Action> KernelCall<A> of(A a) {
        return (KernelCall<A>) BY_TYPE.get(a.getClass());
    }

    /** Every kernel half, one per unit (the class initializer throws otherwise). */
    public static List<KernelCall<?>> all() {
        return ALL;
    }

    /** Writes {@code a} as step n of a C reproducer; false if C does not reproduce it. */
    public static <A extends Action> boolean reproduce(CProgram c, int n, A a, Outcome spec) {
        return of(a).reproduce(c, n, a, spec);
    }
}
