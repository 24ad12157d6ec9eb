package org.extmmap.model;

/** What a process is doing: idle, or blocked in a call (the spec's pc). */
public sealed interface Pending {
    Idle IDLE = new Idle();

    record Idle() implements Pending {
    }

    /** Blocked in read(n). */
    record Reading(int n) implements Pending {
    }

    /** Blocked in write(): {@code data} is still to go, {@code done} bytes went already. */
    record Writing(Bytes data, int done) implements Pending {
    }

    /** Blocked in a fault at offset i of claim o; v is the byte a store writes, or {@link Bytes#NONE}. */
    record Faulting(FaultOp op, int o, int i, int v) implements Pending {
    }

    /** Blocked in msync() committing window o up to e. */
    record Syncing(int o, int e) implements Pending {
    }
}
