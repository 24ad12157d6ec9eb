package org.extmmap.model;

/**
 * A step a process can take: a call with its arguments, or the wake-up of a blocked call. Each
 * record is named after the spec's action, which is also the edge label TLC prints. Processes and
 * mapping ids count from 1, offsets and pages from 0, as in the spec.
 */
public sealed interface Action {
    int p();

    /** The name of the spec's action: the DOT edge label. */
    default String label() {
        return getClass().getSimpleName();
    }

    /** A blocked call completes (or makes progress) because the rule now allows it. */
    record Wake(int p) implements Action {
    }

    record Read(int p, int n) implements Action {
    }

    record Write(int p, Bytes data) implements Action {
    }

    record Close(int p, End end) implements Action {
    }

    record Poll(int p) implements Action {
    }

    /** The end query (ioctl PIPE_IOC_CLAIM_END) at an address of mapping o. */
    record ClaimEnd(int p, int o) implements Action {
    }

    record Mmap(int p, MmapTry t) implements Action {
    }

    /** A load of offset i of claim o. */
    record Load(int p, int o, int i) implements Action {
    }

    /** A store of v at offset i of MAP_PRIVATE claim o. */
    record StorePrivate(int p, int o, int i, int v) implements Action {
    }

    /** A store of v at offset i of window o. */
    record StoreWindow(int p, int o, int i, int v) implements Action {
    }

    /** msync() of window o up to byte e (exclusive). */
    record Msync(int p, int o, int e) implements Action {
    }

    /** munmap() of pages [a, b) of mapping o. */
    record Munmap(int p, int o, int a, int b) implements Action {
    }

    /** mremap() growing mapping o by a page: always refused. */
    record MremapGrow(int p, int o) implements Action {
    }

    /** mprotect() of mapping o to a protection the rules refuse. */
    record MprotectRefused(int p, int o, Prot prot) implements Action {
    }

    record Fork(int p) implements Action {
    }

    record Exit(int p) implements Action {
    }

    /** A caught signal delivered to a blocked process. */
    record Signal(int p) implements Action {
    }

    /** SIGKILL of a blocked process. */
    record Kill(int p) implements Action {
    }
}
