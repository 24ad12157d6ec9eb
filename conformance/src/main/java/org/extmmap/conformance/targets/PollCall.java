package org.extmmap.conformance.targets;

import org.extmmap.conformance.graph.CProgram;
import org.extmmap.conformance.sys.Errno;
import org.extmmap.conformance.sys.Linux;
import org.extmmap.conformance.sys.PollResult;
import org.extmmap.conformance.sys.SysResult;
import org.extmmap.model.Action;
import org.extmmap.model.End;
import org.extmmap.model.Outcome;

/** poll(POLLIN) with a zero timeout, then FIONREAD in whole runs. */
final class PollCall implements KernelCall<Action.Poll> {
    @Override
    public Outcome perform(KernelProcess k, Action.Poll a) {
        PollResult p = k.sys.poll(k.fd(End.R), Linux.POLLIN, 0);
        if (!p.result().ok()) {
            throw new OutsideSpec("poll() failed with " + Errno.name(p.result().errno()));
        }
        // at EOF an empty pipe reports POLLHUP, not POLLIN: read() would not block either way
        boolean readable = (p.revents() & (Linux.POLLIN | Linux.POLLHUP)) != 0;
        SysResult n = k.sys.fionread(k.fd(End.R));
        if (!n.ok() || n.value() % k.run != 0) {
            throw new OutsideSpec("FIONREAD gave " + n + ", not whole runs of " + k.run);
        }
        return new Outcome.Poll(a.p(), readable, (int) (n.value() / k.run));
    }

    @Override
    public boolean reproduce(CProgram c, int n, Action.Poll a, Outcome spec) {
        Outcome.Poll o = (Outcome.Poll) spec;
        c.step(n, a, spec, "POLL", "!r.blocked && r.bytes[0] == " + (o.readable() ? 1 : 0) + " && r.ret == "
                + o.nread() * c.run);
        return true;
    }
}
