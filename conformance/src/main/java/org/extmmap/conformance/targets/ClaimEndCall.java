package org.extmmap.conformance.targets;

import org.extmmap.conformance.graph.CProgram;
import org.extmmap.conformance.sys.ClaimEndResult;
import org.extmmap.conformance.sys.Errno;
import org.extmmap.model.Action;
import org.extmmap.model.End;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;

/**
 * The end query at the first page of mapping o that the process still maps (the answer is about
 * the whole claim, whichever page names it); the byte count in whole runs.
 */
final class ClaimEndCall implements KernelCall<Action.ClaimEnd> {
    @Override
    public Outcome perform(KernelProcess k, Action.ClaimEnd a) {
        KernelProcess.Mapping m = k.mapping(a.o());
        int page = k.mappedPages.get(a.o()).nextSetBit(0);
        ClaimEndResult r = k.sys.claimEnd(k.fd(End.R), m.addr() + (long) page * k.realPage);
        if (!r.result().ok()) {
            if (r.result().errno() == Errno.EINVAL) {
                return new Outcome.ClaimEnd(a.p(), a.o(), Ret.EINVAL, 0, false);
            }
            throw new OutsideSpec("ioctl(PIPE_IOC_CLAIM_END) failed with " + Errno.name(r.result().errno()));
        }
        if (r.bytes() % k.run != 0) {
            throw new OutsideSpec("ioctl(PIPE_IOC_CLAIM_END) counted " + r.bytes() + " bytes, not whole runs of "
                    + k.run);
        }
        return new Outcome.ClaimEnd(a.p(), a.o(), Ret.OK, (int) (r.bytes() / k.run), r.isFinal());
    }

    @Override
    public boolean reproduce(CProgram c, int n, Action.ClaimEnd a, Outcome spec) {
        Outcome.ClaimEnd o = (Outcome.ClaimEnd) spec;
        c.step(n, a, spec, "CLAIMEND, " + a.o(), CProgram.retIs(o.ret(), "r.ret == " + (o.isFinal() ? 1 : 0)
                + " && r.n == " + (long) o.n() * c.run));
        return true;
    }
}
