package org.extmmap.model;

/** MAP_SHARED or MAP_PRIVATE. */
public enum Flags {
    SHARED, PRIVATE;

    public String tla() {
        return this == SHARED ? "shared" : "private";
    }
}
