package org.extmmap.model.units;

import java.util.function.Consumer;
import org.extmmap.model.Action;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.SpecRecord;
import org.extmmap.model.State;

/**
 * One action of the spec's Next, in one place: where it lives in every layer ({@link #trace}),
 * the arguments it may take in a state, its step, and how an edge of TLC's graph decodes into it.
 * The kernel half (performing it, writing it into a C reproducer) is in conformance/, keyed by
 * {@link #type}. {@link Units#ALL} lists every unit; UnitsCoverNextTest fails when an action of
 * Next has none.
 */
public interface Unit<A extends Action> {
    /** When a process may take the action: the only step while a wake-up is pending, blocked, or idle. */
    enum When {
        WAKE_PENDING, BLOCKED, IDLE
    }

    Trace trace();

    Class<A> type();

    When when();

    /** The spec's action name: the edge label TLC prints. */
    default String label() {
        return type().getSimpleName();
    }

    /** The arguments worth trying for process p in s (a superset of the enabled ones). */
    void arguments(ExtMmap m, State s, int p, Consumer<? super A> out);

    /** The state {@code a} leads to, or null when the spec does not enable it in s. */
    State step(ExtMmap m, State s, A a);

    /** The action an edge with this unit's label denotes, read from the target state's {@code last}. */
    A decode(SpecRecord last);

    /** {@link #step} for an action known to be of this unit's type. */
    default State stepOf(ExtMmap m, State s, Action a) {
        return step(m, s, type().cast(a));
    }
}
