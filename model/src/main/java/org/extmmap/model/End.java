package org.extmmap.model;

/** An end of the pipe: the read end (claims) or the write end (windows). */
public enum End {
    R, W;

    public String tla() {
        return this == R ? "r" : "w";
    }
}
