package org.extmmap.conformance.targets;

import org.extmmap.conformance.graph.CProgram;
import org.extmmap.conformance.sys.Errno;
import org.extmmap.conformance.sys.ReadResult;
import org.extmmap.model.Action;
import org.extmmap.model.Bytes;
import org.extmmap.model.FaultOp;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;

/**
 * A load probes the first, middle and last byte of its run through process_vm_readv (EFAULT
 * stands for SIGBUS); all three must be the same letter, zero, or this process's private store.
 */
final class LoadCall implements KernelCall<Action.Load> {
    /** What a probed byte shows: a letter (or {@link Bytes#ZERO}), or nothing the spec knows. */
    private sealed interface Seen {
        record Letter(int v) implements Seen {
        }

        record Foreign() implements Seen {
        }
    }

    @Override
    public Outcome perform(KernelProcess k, Action.Load a) {
        KernelProcess.Mapping m = k.mappedAt(a.o(), a.i());
        int pos = m.base() + a.i();
        Integer letter = null;
        for (int j : new int[] {0, k.run / 2, k.run - 1}) {
            ReadResult r = k.sys.peek(m.addr() + (long) a.i() * k.run + j, 1);
            if (!r.ok()) {
                if (r.result().errno() == Errno.EFAULT) {
                    return new Outcome.Fault(a.p(), FaultOp.LOAD, a.o(), a.i(), Bytes.NONE, Ret.SIGBUS, Bytes.NONE);
                }
                throw new OutsideSpec("process_vm_readv failed with " + Errno.name(r.result().errno()));
            }
            Seen seen = seen(k, a, pos, j, r.data()[0]);
            if (!(seen instanceof Seen.Letter l) || (letter != null && l.v() != letter)) {
                throw new OutsideSpec("load at offset " + a.i() + " (position " + pos + "), run byte " + j + ": "
                        + (r.data()[0] & 0xff) + " is neither zero nor the committed byte's run (stale, shifted or"
                        + " foreign)");
            }
            letter = l.v();
        }
        return new Outcome.Fault(a.p(), FaultOp.LOAD, a.o(), a.i(), Bytes.NONE, Ret.OK, letter);
    }

    private static Seen seen(KernelProcess k, Action.Load a, int pos, int j, byte b) {
        Integer mine = k.privateStores.get(a.o()).get(a.i());
        if (mine != null) { // this process's MAP_PRIVATE copy of the byte
            return b == k.pattern.at(mine, StreamBook.privateKey(a.o(), a.i()), j) ? new Seen.Letter(mine)
                    : new Seen.Foreign();
        } else if (b == 0) {
            return new Seen.Letter(Bytes.ZERO); // zero fill, or a committed zero byte
        } else if (k.book.letter(pos) > 0 && b == k.pattern.at(k.book.letter(pos), k.book.key(pos), j)) {
            return new Seen.Letter(k.book.letter(pos));
        }
        return new Seen.Foreign();
    }

    @Override
    public Outcome blocked(KernelProcess k, Action.Load a, int queuedBefore) {
        return new Outcome.Fault(a.p(), FaultOp.LOAD, a.o(), a.i(), Bytes.NONE, Ret.BLOCK, Bytes.NONE);
    }

    @Override
    public boolean reproduce(CProgram c, int n, Action.Load a, Outcome spec) {
        Outcome.Fault o = (Outcome.Fault) spec;
        int pos = c.claimBase.getOrDefault(a.o(), 0) + a.i();
        if (o.ret() == Ret.OK && o.val() != Bytes.ZERO && pos >= c.book.size()) {
            return false; // a byte a blocked msync() committed in part: C does not know how many
        }
        long key = pos < c.book.size() ? c.book.get(pos) : 0;
        String ok = "probes_are(&r, " + (o.val() == Bytes.ZERO ? 0 : o.val()) + ", " + key + ")";
        c.step(n, a, spec, "LOAD, " + a.o() + ", " + a.i(), CProgram.retIs(o.ret(), ok));
        return true;
    }
}
