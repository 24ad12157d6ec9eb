package org.extmmap.conformance.targets;

import java.util.BitSet;
import java.util.List;
import org.extmmap.conformance.graph.CProgram;
import org.extmmap.conformance.sys.Errno;
import org.extmmap.conformance.sys.SysResult;
import org.extmmap.model.Action;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;

/**
 * munmap() of pages [a, b) of mapping o: one call per run of its pages still mapped there.
 * The pages unmapped before are not o's any more; a newer mapping may live in that hole, and
 * the spec's step removes only o's pages.
 */
final class MunmapCall implements KernelCall<Action.Munmap> {
    @Override
    public Outcome perform(KernelProcess k, Action.Munmap a) {
        KernelProcess.Mapping m = k.mapping(a.o());
        BitSet pages = k.mappedPages.get(a.o());
        List<PageRuns.Run> runs = PageRuns.within(pages, a.a(), a.b());
        if (runs.isEmpty()) {
            throw new IllegalStateException("munmap of pages [" + a.a() + ", " + a.b() + ") of mapping " + a.o()
                    + ", none of which is mapped: the spec allows no such step");
        }
        for (PageRuns.Run piece : runs) {
            SysResult r = k.sys.munmap(m.addr() + (long) piece.from() * k.realPage, (long) piece.pages() * k.realPage);
            if (!r.ok()) {
                if (piece != runs.get(0)) {
                    throw new OutsideSpec("munmap() of mapping " + a.o() + " unmapped pages before page "
                            + piece.from() + " and then failed with " + Errno.name(r.errno()));
                }
                return new Outcome.Munmap(a.p(), a.o(), a.a(), a.b(), KernelProcess.retOf(r.errno()));
            }
            pages.clear(piece.from(), piece.to());
        }
        return new Outcome.Munmap(a.p(), a.o(), a.a(), a.b(), Ret.OK);
    }

    @Override
    public boolean reproduce(CProgram c, int n, Action.Munmap a, Outcome spec) {
        c.step(n, a, spec, "MUNMAP, " + a.o() + ", " + a.a() + ", " + a.b(), CProgram.retIs(spec.ret(), "r.ret == 0"));
        return true;
    }
}
