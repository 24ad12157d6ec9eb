package org.extmmap.conformance.targets;

import org.extmmap.conformance.graph.CProgram;
import org.extmmap.conformance.sys.Errno;
import org.extmmap.conformance.sys.SysResult;
import org.extmmap.model.Action;
import org.extmmap.model.End;
import org.extmmap.model.Outcome;

/** close() of one end of process 1. */
final class CloseCall implements KernelCall<Action.Close> {
    @Override
    public Outcome perform(KernelProcess k, Action.Close a) {
        SysResult c = k.sys.close(k.fd(a.end()));
        if (!c.ok()) {
            throw new OutsideSpec("close() failed with " + Errno.name(c.errno()));
        }
        k.fds.remove(a.end());
        return new Outcome.Close(a.p(), a.end());
    }

    @Override
    public boolean reproduce(CProgram c, int n, Action.Close a, Outcome spec) {
        c.step(n, a, spec, "CLOSE, " + (a.end() == End.R ? 0 : 1), "!r.blocked && r.ret == 0");
        return true;
    }
}
