package org.extmmap.conformance.targets;

import org.extmmap.conformance.graph.CProgram;
import org.extmmap.conformance.sys.Errno;
import org.extmmap.conformance.sys.SysResult;
import org.extmmap.model.Action;
import org.extmmap.model.Bytes;
import org.extmmap.model.FaultOp;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;

/** A store to a window, through process_vm_writev: it changes the window only. */
final class StoreWindowCall implements KernelCall<Action.StoreWindow> {
    @Override
    public Outcome perform(KernelProcess k, Action.StoreWindow a) {
        SysResult r = k.poke(a.o(), a.i(), a.v(), StreamBook.windowKey(a.o(), a.i()));
        if (!r.ok()) {
            throw new OutsideSpec("a store to a write window failed with " + Errno.name(r.errno())
                    + " (a CPU store would have taken a signal)");
        }
        k.windowLetters.get(a.o())[a.i()] = a.v();
        return new Outcome.Fault(a.p(), FaultOp.STORE, a.o(), a.i(), a.v(), Ret.OK, Bytes.NONE);
    }

    @Override
    public boolean reproduce(CProgram c, int n, Action.StoreWindow a, Outcome spec) {
        String name = "s" + n;
        c.code("\tstatic unsigned char " + name + "[" + c.run + "];\n\n\tfill(" + name + ", "
                + CProgram.str(String.valueOf((char) a.v())) + ", 0, 1);\n");
        c.step(n, a, spec, "STOREW, " + a.o() + ", " + a.i() + ", .data = " + name, CProgram.retIs(spec.ret(), "1"));
        c.windows.get(a.o())[a.i()] = a.v();
        return true;
    }
}
