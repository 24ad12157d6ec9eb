package org.extmmap.conformance.targets;

import java.io.ByteArrayOutputStream;
import org.extmmap.conformance.graph.CProgram;
import org.extmmap.conformance.sys.Errno;
import org.extmmap.conformance.sys.SysResult;
import org.extmmap.model.Action;
import org.extmmap.model.Bytes;
import org.extmmap.model.End;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;

/** write(data): one run of real bytes per letter, each with a pattern key of its own. */
final class WriteCall implements KernelCall<Action.Write> {
    @Override
    public Outcome perform(KernelProcess k, Action.Write a) {
        Bytes data = a.data();
        int base = k.stream.writeKeys(data.length());
        k.writeBase = base; // the keys of this call's runs, for blocked() on the driver's thread
        ByteArrayOutputStream real = new ByteArrayOutputStream();
        for (int j = 0; j < data.length(); j++) {
            real.writeBytes(k.pattern.run(data.at(j), StreamBook.writeKey(base + j), k.run));
        }
        SysResult w = k.sys.write(k.fd(End.W), real.toByteArray());
        if (!w.ok()) {
            if (w.errno() == Errno.EPIPE) {
                return new Outcome.Write(a.p(), data, k.sigpipe(true), Ret.EPIPE, 0);
            }
            if (w.errno() == Errno.EINTR) {
                return new Outcome.Write(a.p(), data, false, Ret.EINTR, 0); // a caught signal (Signal)
            }
            throw new OutsideSpec("write() failed with " + Errno.name(w.errno()));
        }
        if (w.value() % k.run != 0) {
            throw new OutsideSpec("write() moved " + w.value() + " bytes, not whole runs of " + k.run);
        }
        int n = (int) (w.value() / k.run);
        // those moved before it was seen blocked are recorded already; other appends may have come since
        for (int j = k.blockedWriteMoved; j < n; j++) {
            k.book.append(data.at(j), StreamBook.writeKey(base + j));
        }
        return new Outcome.Write(a.p(), data, k.sigpipe(false), Ret.OK, n);
    }

    /** What a blocked write() moved so far (see KernelProcess#movedWhileBlocked). */
    @Override
    public Outcome blocked(KernelProcess k, Action.Write a, int queuedBefore) {
        k.blockedWriteMoved = k.movedWhileBlocked(queuedBefore, a.data().length(), a);
        for (int j = 0; j < k.blockedWriteMoved; j++) {
            k.book.append(a.data().at(j), StreamBook.writeKey(k.writeBase + j));
        }
        return new Outcome.Write(a.p(), a.data(), false, Ret.BLOCK, k.blockedWriteMoved);
    }

    @Override
    public boolean reproduce(CProgram c, int n, Action.Write a, Outcome spec) {
        if (c.otherAppending(a.p())) {
            return false;
        }
        Outcome.Write o = (Outcome.Write) spec;
        boolean woken = c.waking == a.p();
        int[] pending = woken ? c.writes.remove(a.p()) : new int[] {c.book.size(), 0}; // first key, runs moved
        String name = "w" + (woken ? "ake" : "") + n;
        if (!woken) {
            c.code("\tstatic unsigned char " + name + "[" + a.data().length() * c.run + "];\n\n\tfill(" + name + ", "
                    + CProgram.str(CProgram.letters(a.data())) + ", " + pending[0] + ", 0);\n");
        }
        // a woken write() returns all it moved; the spec's val counts the same
        c.step(n, a, spec, "WRITE, .data = " + name + ", .len = " + a.data().length() * c.run,
                CProgram.retIs(o.ret(), "r.ret == " + o.val() * c.run));
        int moved = o.ret() == Ret.EPIPE ? pending[1] : o.val();
        for (int j = pending[1]; j < moved; j++) {
            c.book.add((long) pending[0] + j);
        }
        if (o.ret() == Ret.BLOCK) {
            c.writes.put(a.p(), new int[] {pending[0], moved});
        }
        return true;
    }
}
