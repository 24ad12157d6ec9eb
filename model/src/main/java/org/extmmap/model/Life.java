package org.extmmap.model;

/** Where a process is in its life: process 1 starts alive, the others are born by fork(). */
public enum Life {
    UNBORN, ALIVE, DEAD;

    public String tla() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
