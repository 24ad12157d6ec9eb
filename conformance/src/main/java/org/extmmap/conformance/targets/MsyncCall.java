package org.extmmap.conformance.targets;

import org.extmmap.conformance.graph.CProgram;
import org.extmmap.conformance.sys.Errno;
import org.extmmap.conformance.sys.Linux;
import org.extmmap.conformance.sys.SysResult;
import org.extmmap.model.Action;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;

/** msync(MS_SYNC) of the window's first e abstract bytes: commits [c, e) exactly. */
final class MsyncCall implements KernelCall<Action.Msync> {
    @Override
    public Outcome perform(KernelProcess k, Action.Msync a) {
        KernelProcess.Mapping m = k.mappedAt(a.o(), 0); // a window is mapped whole or not at all
        SysResult r = k.sys.msync(m.addr(), (long) a.e() * k.run, Linux.MS_SYNC);
        if (!r.ok()) {
            return new Outcome.Msync(a.p(), a.o(), a.e(), k.sigpipe(r.errno() == Errno.EPIPE),
                    KernelProcess.retOf(r.errno()));
        }
        synchronized (k.stream) {
            int c = k.windowCommitted.get(a.o());
            int[] letters = k.windowLetters.get(a.o());
            for (int j = c; j < Math.min(a.e(), letters.length); j++) { // the stream gets a snapshot of the window
                k.book.append(letters[j], StreamBook.windowKey(a.o(), j));
            }
            k.windowCommitted.put(a.o(), Math.max(c, a.e()));
        }
        return new Outcome.Msync(a.p(), a.o(), a.e(), k.sigpipe(false), Ret.OK);
    }

    /**
     * What a blocked commit moved so far, measured as a blocked write()'s is (see
     * KernelProcess#movedWhileBlocked). Those window bytes are in the stream now (a reader or a
     * later EINTR shows them), so the commit point and the stream record move with them.
     */
    @Override
    public Outcome blocked(KernelProcess k, Action.Msync a, int queuedBefore) {
        if (queuedBefore == STILL_BLOCKED) {
            return new Outcome.Msync(a.p(), a.o(), a.e(), false, Ret.BLOCK); // what it moved meanwhile: extend()
        }
        k.stream.committing(a.o(), a.e());
        synchronized (k.stream) {
            int c = k.windowCommitted.get(a.o());
            int moved = k.movedWhileBlocked(queuedBefore, a.e() - c, a);
            int[] letters = k.windowLetters.get(a.o());
            for (int j = c; j < c + moved; j++) {
                k.book.append(letters[j], StreamBook.windowKey(a.o(), j));
            }
            k.windowCommitted.put(a.o(), c + moved);
        }
        return new Outcome.Msync(a.p(), a.o(), a.e(), false, Ret.BLOCK);
    }

    @Override
    public boolean reproduce(CProgram c, int n, Action.Msync a, Outcome spec) {
        if (c.otherAppending(a.p())) {
            return false;
        }
        c.step(n, a, spec, "MSYNC, " + a.o() + ", " + a.e(), CProgram.retIs(spec.ret(), "r.ret == 0"));
        int c0 = c.committed.getOrDefault(a.o(), 0);
        for (int j = c0; spec.ret() == Ret.OK && j < a.e(); j++) {
            c.book.add(0L); // window bytes use key 0 (see repro-runtime.c)
        }
        if (spec.ret() == Ret.OK) {
            c.committed.put(a.o(), Math.max(c0, a.e()));
        }
        return true;
    }
}
