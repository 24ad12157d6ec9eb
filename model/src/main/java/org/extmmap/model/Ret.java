package org.extmmap.model;

/** What a call returned, as the spec's {@code ret} field names it. */
public enum Ret {
    OK("ok"), BLOCK("block"), EPIPE("EPIPE"), EINVAL("EINVAL"), EPERM("EPERM"), EACCES("EACCES"),
    ENOMEM("ENOMEM"), EFAULT("EFAULT"), EINTR("EINTR"), SIGBUS("SIGBUS"), RESTART("restart");

    private final String tla;

    Ret(String tla) {
        this.tla = tla;
    }

    public String tla() {
        return tla;
    }
}
