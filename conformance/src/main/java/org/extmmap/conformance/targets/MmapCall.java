package org.extmmap.conformance.targets;

import java.util.BitSet;
import java.util.HashMap;
import org.extmmap.conformance.graph.CProgram;
import org.extmmap.conformance.sys.Linux;
import org.extmmap.conformance.sys.SysResult;
import org.extmmap.model.Action;
import org.extmmap.model.End;
import org.extmmap.model.Flags;
import org.extmmap.model.MmapTry;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;

/** mmap() of either end; the spec's offset P is one real page. */
final class MmapCall implements KernelCall<Action.Mmap> {
    @Override
    public Outcome perform(KernelProcess k, Action.Mmap a) {
        MmapTry t = a.t();
        int flags = t.flags() == Flags.SHARED ? Linux.MAP_SHARED : Linux.MAP_PRIVATE;
        long realLen = (long) t.len() * k.run;
        long realOff = (long) t.off() * k.run;
        SysResult m = k.sys.mmap(0, realLen, KernelProcess.protBits(t.prot()), flags, k.fd(t.end()), realOff);
        if (!m.ok()) {
            return new Outcome.Mmap(a.p(), t.end(), t.len(), t.prot(), t.flags(), t.off(), KernelProcess.retOf(m.errno()),
                    0);
        }
        int id = ++k.stream.mapped;
        k.mappings.put(id, new KernelProcess.Mapping(t.end(), m.value(), realLen, t.len(), k.stream.readCursor));
        BitSet pages = new BitSet();
        pages.set(0, (int) ((realLen + k.realPage - 1) / k.realPage));
        k.mappedPages.put(id, pages);
        if (t.end() == End.W) {
            k.windowLetters.put(id, new int[t.len()]); // a new window is zero bytes
            k.windowCommitted.put(id, 0);
        } else {
            k.privateStores.put(id, new HashMap<>());
            k.stream.take(k.stream.readCursor, t.len()); // the claim: no read() returns these positions
            k.stream.readCursor += t.len();
        }
        return new Outcome.Mmap(a.p(), t.end(), t.len(), t.prot(), t.flags(), t.off(), Ret.OK, id);
    }

    @Override
    public boolean reproduce(CProgram c, int n, Action.Mmap a, Outcome spec) {
        Outcome.Mmap o = (Outcome.Mmap) spec;
        MmapTry t = a.t();
        String call = "MMAP, " + (t.end() == End.R ? 0 : 1) + ", " + t.len() * c.run + ", " + CProgram.prot(t.prot())
                + ", " + (t.flags() == Flags.SHARED ? 1 : 2) + ", " + t.off() * c.run + ", .len = " + o.val();
        c.step(n, a, spec, call, CProgram.retIs(o.ret(), "r.ret == 0"));
        if (o.ret() == Ret.OK && t.end() == End.R) {
            c.claimBase.put(o.val(), c.readCursor);
            c.readCursor += t.len();
        } else if (o.ret() == Ret.OK) {
            c.windows.put(o.val(), new int[t.len()]);
            c.committed.put(o.val(), 0);
        }
        return true;
    }
}
