package org.extmmap.conformance.targets;

import org.extmmap.conformance.sys.Linux;
import org.extmmap.conformance.sys.SysResult;
import org.extmmap.conformance.graph.CProgram;
import org.extmmap.model.Action;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;

/**
 * Growing by one abstract page (one real page), allowed to move: only VM_DONTEXPAND refuses
 * it. The call grows the last run of pages the mapping still has, its end as the spec's len.
 */
final class MremapGrowCall implements KernelCall<Action.MremapGrow> {
    @Override
    public Outcome perform(KernelProcess k, Action.MremapGrow a) {
        KernelProcess.Mapping m = k.mapping(a.o());
        long pages = (m.realLen() + k.realPage - 1) / k.realPage;
        int abstractLen = (int) (pages * k.cfg.p() + k.cfg.p());
        var runs = k.mappedRuns(a.o());
        PageRuns.Run last = runs.get(runs.size() - 1);
        long len = (long) last.pages() * k.realPage;
        SysResult r = k.sys.mremap(m.addr() + (long) last.from() * k.realPage, len, len + k.realPage,
                Linux.MREMAP_MAYMOVE);
        if (r.ok()) {
            // the kernel grew a pipe mapping, wrongly: remove it (it may have moved) and report the "ok"
            k.sys.munmap(r.value(), len + k.realPage);
            k.mappedPages.get(a.o()).clear(last.from(), last.to());
            return new Outcome.Mremap(a.p(), a.o(), abstractLen, Ret.OK);
        }
        return new Outcome.Mremap(a.p(), a.o(), abstractLen, KernelProcess.retOf(r.errno()));
    }

    @Override
    public boolean reproduce(CProgram c, int n, Action.MremapGrow a, Outcome spec) {
        c.step(n, a, spec, "MREMAP, " + a.o(), CProgram.retIs(spec.ret(), "r.ret == 0"));
        return true;
    }
}
