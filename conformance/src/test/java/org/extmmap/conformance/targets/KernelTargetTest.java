package org.extmmap.conformance.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.extmmap.conformance.sys.Errno;
import org.extmmap.conformance.sys.KernelUnderTest;
import org.extmmap.conformance.sys.Linux;
import org.extmmap.conformance.sys.PipeFds;
import org.extmmap.conformance.sys.SysResult;
import org.extmmap.conformance.sys.Syscalls;
import org.extmmap.model.Config;
import org.junit.jupiter.api.Test;

class KernelTargetTest {
    private static final Config ANY = new Config(1, 2, 2, 2, 1, 2, 1, List.of((byte) 'a'), Set.of("mmap"));

    /** The probe's verdict is the kernel's own answer to the smallest extended-mmap call. */
    @Test
    void probeAgreesWithAnIndependentMmapOfAPipe() {
        Syscalls sys = KernelUnderTest.syscalls(); // the kernel under test, in-process or in the guest
        PipeFds pipe = sys.pipe2(0);
        SysResult m = sys.mmap(0, Linux.PAGE_SIZE, Linux.PROT_READ, Linux.MAP_SHARED, pipe.readFd(), 0);
        if (m.ok()) {
            sys.munmap(m.value(), Linux.PAGE_SIZE);
        }
        sys.close(pipe.readFd());
        sys.close(pipe.writeFd());
        Availability a = KernelTarget.host(0).availability();
        assertEquals(m.ok(), a.available(), a.detail());
        if (!m.ok()) {
            assertTrue(a.detail().contains(Errno.name(m.errno())), a.detail());
        }
    }

    @Test
    void startRefusesWhenExtendedMmapIsAbsent() {
        KernelTarget k = KernelTarget.host(0);
        if (k.availability().available()) {
            k.start(ANY).close(); // present: a run starts
        } else {
            assertThrows(IllegalStateException.class, () -> k.start(ANY));
        }
    }
}
