package org.extmmap.conformance.targets;

import java.util.BitSet;
import org.extmmap.conformance.graph.CProgram;
import org.extmmap.conformance.sys.SysResult;
import org.extmmap.model.Action;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;

/** mprotect() page by page over the pages still mapped: any page the kernel lets change is a wrong "ok". */
final class MprotectRefusedCall implements KernelCall<Action.MprotectRefused> {
    @Override
    public Outcome perform(KernelProcess k, Action.MprotectRefused a) {
        KernelProcess.Mapping m = k.mapping(a.o());
        BitSet pages = k.mappedPages.get(a.o());
        Ret ret = null;
        for (int p = pages.nextSetBit(0); p >= 0; p = pages.nextSetBit(p + 1)) {
            SysResult r = k.sys.mprotect(m.addr() + (long) p * k.realPage, k.realPage, KernelProcess.protBits(a.prot()));
            Ret page = r.ok() ? Ret.OK : KernelProcess.retOf(r.errno());
            if (ret != null && ret != page) {
                throw new OutsideSpec("mprotect() gave " + ret + " on one page and " + page + " on another");
            }
            ret = page;
        }
        if (ret == null) {
            throw new IllegalStateException("mapping " + a.o() + " has no page mapped");
        }
        return new Outcome.Mprotect(a.p(), a.o(), a.prot(), ret);
    }

    @Override
    public boolean reproduce(CProgram c, int n, Action.MprotectRefused a, Outcome spec) {
        c.step(n, a, spec, "MPROTECT, " + a.o() + ", " + CProgram.prot(a.prot()), CProgram.retIs(spec.ret(), "r.ret == 0"));
        return true;
    }
}
