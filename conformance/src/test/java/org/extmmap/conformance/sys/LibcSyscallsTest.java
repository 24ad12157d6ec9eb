package org.extmmap.conformance.sys;

/** The {@link Syscalls} contract in-process: JNA on libc. */
class LibcSyscallsTest extends SyscallsContract {
    @Override
    protected Syscalls syscalls() {
        return new LibcSyscalls();
    }

    @Override
    protected boolean seesSigpipe() {
        return false;
    }

    @Override
    protected long callerPid() {
        return ProcessHandle.current().pid();
    }
}
