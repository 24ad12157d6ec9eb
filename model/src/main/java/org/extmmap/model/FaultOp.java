package org.extmmap.model;

/** A memory access that faults a claim page in: a load, or a store to a MAP_PRIVATE claim. */
public enum FaultOp {
    LOAD, STORE;

    public String tla() {
        return this == LOAD ? "load" : "store";
    }
}
