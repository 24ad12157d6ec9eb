package org.extmmap.model;

/** The protection an mmap() or mprotect() asks for. */
public enum Prot {
    R("r"), RW("rw"), RX("rx"), RWX("rwx");

    private final String tla;

    Prot(String tla) {
        this.tla = tla;
    }

    public String tla() {
        return tla;
    }

    /** The same protection with PROT_EXEC added (the spec's Exec). */
    public Prot withExec() {
        return this == R || this == RX ? RX : RWX;
    }
}
