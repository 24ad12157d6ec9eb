package org.extmmap.conformance.targets;

import org.extmmap.conformance.sys.Errno;
import org.extmmap.conformance.sys.Linux;
import org.extmmap.conformance.sys.PipeFds;
import org.extmmap.conformance.sys.SysResult;
import org.extmmap.conformance.sys.Syscalls;

/**
 * Does this kernel have extended mmap? The smallest call the feature must accept: a shared,
 * read-only mapping of a fresh pipe's read end. Stock Linux refuses it (ENODEV: pipes have no
 * mmap); any refusal means absent.
 */
public final class ExtendedMmapProbe {
    private ExtendedMmapProbe() {
    }

    /** {@code where} names the kernel in the verdict ("kernel 6.12.118", "guest agent, kernel ..."). */
    public static Availability probe(Syscalls sys, String where) {
        PipeFds pipe = sys.pipe2(Linux.O_CLOEXEC);
        if (!pipe.ok()) {
            return Availability.no("pipe2() failed: " + Errno.name(pipe.errno()));
        }
        try {
            SysResult m = sys.mmap(0, Linux.PAGE_SIZE, Linux.PROT_READ, Linux.MAP_SHARED, pipe.readFd(), 0);
            if (!m.ok()) {
                return Availability.no("mmap(NULL, 4096, PROT_READ, MAP_SHARED, <pipe read end>, 0) failed with "
                        + Errno.name(m.errno()) + " on " + where);
            }
            sys.munmap(m.value(), Linux.PAGE_SIZE);
            return Availability.yes("mmap of a pipe's read end succeeded on " + where);
        } finally {
            sys.close(pipe.readFd());
            sys.close(pipe.writeFd());
        }
    }
}
