package org.extmmap.conformance.targets;

import org.extmmap.conformance.sys.Errno;
import org.extmmap.conformance.sys.SysResult;
import org.extmmap.model.Action;
import org.extmmap.model.Bytes;
import org.extmmap.model.FaultOp;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;

/** A store to a MAP_PRIVATE claim through process_vm_writev: faults the page in like a load (EFAULT for SIGBUS), then copies. */
final class StorePrivateCall implements KernelCall<Action.StorePrivate> {
    @Override
    public Outcome perform(KernelProcess k, Action.StorePrivate a) {
        SysResult r = k.poke(a.o(), a.i(), a.v(), StreamBook.privateKey(a.o(), a.i()));
        if (!r.ok()) {
            if (r.errno() == Errno.EFAULT) {
                return new Outcome.Fault(a.p(), FaultOp.STORE, a.o(), a.i(), a.v(), Ret.SIGBUS, Bytes.NONE);
            }
            throw new OutsideSpec("process_vm_writev failed with " + Errno.name(r.errno()));
        }
        k.privateStores.get(a.o()).put(a.i(), a.v());
        return new Outcome.Fault(a.p(), FaultOp.STORE, a.o(), a.i(), a.v(), Ret.OK, Bytes.NONE);
    }

    @Override
    public Outcome blocked(KernelProcess k, Action.StorePrivate a, int queuedBefore) {
        return new Outcome.Fault(a.p(), FaultOp.STORE, a.o(), a.i(), a.v(), Ret.BLOCK, Bytes.NONE);
    }
}
