package org.extmmap.conformance.sys;

/** pipe2()'s result: the two descriptors, or the errno (then both are -1). */
public record PipeFds(int readFd, int writeFd, int errno) {
    public boolean ok() {
        return errno == 0;
    }
}
