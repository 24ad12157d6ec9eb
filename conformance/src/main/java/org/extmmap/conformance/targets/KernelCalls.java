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
    /** An action type and its kernel half. */
    public record Entry<A extends Action>(Class<A> type, KernelCall<A> call) {
    }

    private static <A extends Action> Entry<A> call(Class<A> type, KernelCall<A> call) {
        return new Entry<>(type, call);
    }

    private static final List<Entry<?>> ALL = List.of(call(Action.Read.class, new ReadCall()),
            call(Action.Write.class, new WriteCall()), call(Action.Close.class, new CloseCall()),
            call(Action.Poll.class, new PollCall()), call(Action.ClaimEnd.class, new ClaimEndCall()),
            call(Action.Mmap.class, new MmapCall()),
            call(Action.Load.class, new LoadCall()), call(Action.StorePrivate.class, new StorePrivateCall()),
            call(Action.StoreWindow.class, new StoreWindowCall()), call(Action.Msync.class, new MsyncCall()),
            call(Action.Munmap.class, new MunmapCall()), call(Action.MremapGrow.class, new MremapGrowCall()),
            call(Action.MprotectRefused.class, new MprotectRefusedCall()),
            call(Action.Wake.class, new ProcessCalls.WakeCall()), call(Action.Fork.class, new ProcessCalls.ForkCall()),
            call(Action.Exit.class, new ProcessCalls.VanishCall<>(false)),
            call(Action.Signal.class, new ProcessCalls.SignalCall()),
            call(Action.Kill.class, new ProcessCalls.VanishCall<>(true)));

    private static final Map<Class<?>, KernelCall<?>> BY_TYPE = new HashMap<>();

    static {
        for (Entry<?> e : ALL) {
            if (BY_TYPE.put(e.type(), e.call()) != null) {
                throw new ExceptionInInitializerError("two kernel calls for " + e.type().getSimpleName());
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
    public static List<Entry<?>> all() {
        return ALL;
    }

    /** Writes {@code a} as step n of a C reproducer; false if C does not reproduce it. */
    public static <A extends Action> boolean reproduce(CProgram c, int n, A a, Outcome spec) {
        return of(a).reproduce(c, n, a, spec);
    }
}
