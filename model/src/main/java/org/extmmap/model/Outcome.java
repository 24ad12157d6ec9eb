package org.extmmap.model;

/**
 * The step just taken, its arguments and what it returned: the spec's {@code last}. Each record
 * has exactly the fields of the spec's record for that call. Bytes that may be "none" are ints with
 * {@link Bytes#NONE}.
 */
public sealed interface Outcome {
    Ret ret();

    record Init() implements Outcome {
        @Override
        public Ret ret() {
            return Ret.OK;
        }
    }

    /** read(n) at stream position pos; val is what it returned. */
    record Read(int p, int n, int pos, Ret ret, Bytes val) implements Outcome {
    }

    /** write() of data (the rest of it, for a wake-up); val counts the bytes written in all. */
    record Write(int p, Bytes data, boolean sigpipe, Ret ret, int val) implements Outcome {
    }

    record Close(int p, End end) implements Outcome {
        @Override
        public Ret ret() {
            return Ret.OK;
        }
    }

    /** poll() with FIONREAD. */
    record Poll(int p, boolean readable, int nread) implements Outcome {
        @Override
        public Ret ret() {
            return Ret.OK;
        }
    }

    /** mmap(); val is the new mapping's id, or 0 on error. */
    record Mmap(int p, End end, int len, Prot prot, Flags flags, int off, Ret ret, int val) implements Outcome {
    }

    /** A load or store at offset i of mapping o; v is the stored byte (NONE for loads), val the loaded one (else NONE). */
    record Fault(int p, FaultOp op, int o, int i, int v, Ret ret, int val) implements Outcome {
    }

    record Msync(int p, int o, int e, boolean sigpipe, Ret ret) implements Outcome {
    }

    record Munmap(int p, int o, int a, int b, Ret ret) implements Outcome {
    }

    record Mremap(int p, int o, int len, Ret ret) implements Outcome {
    }

    record Mprotect(int p, int o, Prot prot, Ret ret) implements Outcome {
    }

    /** fork() by p; child is the new process. */
    record Fork(int p, int child) implements Outcome {
        @Override
        public Ret ret() {
            return Ret.OK;
        }
    }

    /** exit() (killed false) or SIGKILL (killed true) of p. */
    record Vanish(int p, boolean killed) implements Outcome {
        @Override
        public Ret ret() {
            return Ret.OK;
        }
    }

    /** A caught signal: a blocked fault restarts; read, write and msync return EINTR or a write's count. */
    record Signal(int p, Ret ret, int val) implements Outcome {
    }
}
