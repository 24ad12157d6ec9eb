package org.extmmap.conformance.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.lang.reflect.Method;
import java.util.Optional;
import org.extmmap.conformance.sys.KernelUnderTest;
import org.extmmap.conformance.sys.Linux;
import org.extmmap.conformance.sys.ReadResult;
import org.extmmap.conformance.sys.SysResult;
import org.extmmap.conformance.sys.Syscalls;
import org.extmmap.conformance.sys.SyscallsProxy;
import org.extmmap.model.Action;
import org.extmmap.model.Bytes;
import org.extmmap.model.End;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.Flags;
import org.extmmap.model.MmapTry;
import org.extmmap.model.Prot;
import org.extmmap.model.Ret;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The placement behind issue 11, built on purpose: a mapping placed in the hole that a partial
 * munmap left in an older mapping. Linux would often choose that hole by itself (the highest gap
 * that fits); here the next mmap(NULL, ...) gets the hole as its address hint, which the kernel
 * honours when the range is free, so the case arises on every run. The model is the oracle.
 */
class MunmapHoleTest {
    private static final Timeouts WAITS = Timeouts.fromSystemProperties();

    @BeforeEach
    void needsExtendedMmap() {
        ExtendedMmapRequired.assumeAvailable();
    }

    @Test
    void munmapOfAPartlyUnmappedClaimSparesTheClaimInItsHole() {
        HoleFirst sys = new HoleFirst(KernelUnderTest.syscalls());
        KernelTarget kernel = new KernelTarget(sys.proxy(), WAITS, 115);
        try (Walk w = new Walk(new ExtMmap(ExtMmapWalkProperties.REAL), kernel.start(ExtMmapWalkProperties.REAL))) {
            w.take(write(215));
            w.take(new Action.Read(1, 6));
            w.take(write(205));
            claimInTheHole(w, sys);
            w.take(new Action.Munmap(1, 1, 0, 2)); // must leave o2 alone
            w.take(new Action.Load(1, 2, 0));
            assertEquals(Ret.BLOCK, w.last().ret(), "the case of issue 11: the spec has this load block");
        }
    }

    @Test
    void loadsAndUnmapsOfTheClaimInTheHoleAgreeWithTheModel() {
        HoleFirst sys = new HoleFirst(KernelUnderTest.syscalls());
        KernelTarget kernel = new KernelTarget(sys.proxy(), WAITS, 116);
        try (Walk w = new Walk(new ExtMmap(ExtMmapWalkProperties.REAL), kernel.start(ExtMmapWalkProperties.REAL))) {
            w.take(write(215));
            claimInTheHole(w, sys);
            w.take(new Action.Munmap(1, 1, 0, 2));
            w.take(write(4700)); // o2's page is complete: 215 + 4700 >= 4721 + 76
            w.take(new Action.Load(1, 2, 0));
            w.take(new Action.Load(1, 2, 75));
            assertEquals(Ret.OK, w.last().ret());
            w.take(new Action.Munmap(1, 2, 0, 1));
        }
    }

    /** The run's cleanup unmaps only what its mappings still hold, not what now lies in their holes. */
    @Test
    void cleanupSparesAForeignMappingInAHole() {
        HoleFirst sys = new HoleFirst(KernelUnderTest.syscalls());
        KernelTarget kernel = new KernelTarget(sys.proxy(), WAITS, 117);
        long foreign;
        try (Walk w = new Walk(new ExtMmap(ExtMmapWalkProperties.REAL), kernel.start(ExtMmapWalkProperties.REAL))) {
            assumeFalse(sys.ownProcesses(), "the run's process 1 is an agent process, which its cleanup kills:"
                    + " no munmap() to spare anything; this case is run by the in-process target (guest-suite.sh)");
            w.take(claim(3 * 4096)); // three pages
            w.take(new Action.Munmap(1, 1, 1, 2));
            sys.armed = true;
            // memory of this JVM, not of the run: what a cleanup must never touch
            foreign = sys.proxy().mmap(0, Linux.PAGE_SIZE, Linux.PROT_READ | Linux.PROT_WRITE,
                    Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0).orThrow("anonymous mmap");
            assertEquals(sys.hole, foreign, "the foreign page was not placed in the claim's hole");
            assertTrue(sys.proxy().poke(foreign, new byte[] {42}).ok());
        }
        ReadResult r = sys.proxy().peek(foreign, 1);
        sys.proxy().munmap(foreign, Linux.PAGE_SIZE);
        assertTrue(r.ok(), () -> "the run's cleanup unmapped a page that was not its own: " + r);
        assertEquals(42, r.data()[0], "the foreign page lost its byte");
    }

    /** o1 of two pages, its second page unmapped, then o2 of one page placed in that hole. */
    private static void claimInTheHole(Walk w, HoleFirst sys) {
        w.take(claim(4721));
        w.take(new Action.Munmap(1, 1, 1, 2));
        sys.armed = true;
        w.take(claim(76));
        assertEquals(sys.hole, sys.placed, "o2 was not placed in o1's hole, so this test did not build its case");
    }

    private static Action claim(int len) {
        return new Action.Mmap(1, new MmapTry(End.R, Prot.R, Flags.PRIVATE, len, 0, Ret.OK));
    }

    private static Action write(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) "abc".charAt(i % 3);
        }
        return new Action.Write(1, Bytes.of(b));
    }

    /**
     * Real system calls, except that once armed the next mmap(NULL, ...) gets the start of the last
     * range unmapped as its hint (no MAP_FIXED: the kernel still chooses, and takes a free hint).
     * The calls of a process the run spawns or forks (an agent's spec process) are watched the same
     * way: there the run's mappings live, not in the process that spawned it.
     */
    private static final class HoleFirst {
        private final Syscalls proxy;
        private Syscalls spawned; // the run's process 1, when the target has processes of its own
        boolean armed;
        long hole = -1;
        long placed = -2;

        HoleFirst(Syscalls real) {
            this.proxy = watched(real);
        }

        Syscalls proxy() {
            return proxy;
        }

        boolean ownProcesses() {
            return spawned != null;
        }

        private Syscalls watched(Syscalls real) {
            return SyscallsProxy.of(real, this::invoke);
        }

        private Object invoke(Method m, Object[] args, SyscallsProxy.Proceed call) throws Throwable {
            boolean hinted = m.getName().equals("mmap") && armed && (long) args[0] == 0;
            if (hinted) {
                args[0] = hole;
                armed = false;
            }
            Object r = call.call();
            if (m.getName().equals("spawn") && r instanceof Optional<?> o && o.isPresent()) {
                spawned = watched((Syscalls) o.get());
                return Optional.of(spawned);
            }
            if (m.getName().equals("fork")) {
                return watched((Syscalls) r);
            }
            if (m.getName().equals("munmap") && ((SysResult) r).ok()) {
                hole = (long) args[0];
            } else if (hinted && ((SysResult) r).ok()) {
                placed = ((SysResult) r).value();
            }
            return r;
        }
    }
}
