package org.extmmap.model.units;

import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.extmmap.model.Action;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.SpecRecord;
import org.extmmap.model.State;

/**
 * Exit and Kill, the two ways a process vanishes (the spec's Vanish): every descriptor and
 * mapping of p goes. exit() is a call of an idle process; SIGKILL hits a blocked one.
 */
final class VanishUnit<A extends Action> extends BaseUnit<A> {
    private final boolean killed;
    private final IntFunction<A> make;

    private VanishUnit(Class<A> type, boolean killed, IntFunction<A> make, String spec, String kernel) {
        super(type, killed ? When.BLOCKED : When.IDLE, spec, "RefsExact", kernel, "lifetime");
        this.killed = killed;
        this.make = make;
    }

    static VanishUnit<Action.Exit> exit() {
        return new VanishUnit<>(Action.Exit.class, false, Action.Exit::new, "Exit Vanish Collect RefsOf",
                "pipe_claim_vm_close pipe_window_vm_close");
    }

    static VanishUnit<Action.Kill> kill() {
        return new VanishUnit<>(Action.Kill.class, true, Action.Kill::new, "Kill Vanish Interruptible",
                "pipe_claim_sleep pipe_claim_vm_close");
    }

    @Override
    public void arguments(ExtMmap m, State s, int p, Consumer<? super A> out) {
        out.accept(make.apply(p));
    }

    @Override
    public State step(ExtMmap m, State s, A a) {
        boolean may = killed ? m.interruptible(s, a.p(), "kill") : m.ready(s, a.p(), "exit");
        return may ? m.vanish(s, a.p(), killed) : null;
    }

    @Override
    public A decode(SpecRecord last) {
        return make.apply(last.p());
    }
}
