package org.extmmap.conformance.targets;

import org.extmmap.conformance.sys.AgentSyscalls;
import org.extmmap.conformance.sys.KernelUnderTest;
import org.extmmap.conformance.sys.Syscalls;
import org.extmmap.model.Config;

/**
 * The kernel this JVM runs on, driven through {@link Syscalls}. Probed once for extended mmap;
 * when absent, that is announced loudly and {@link #start} refuses, so that no test can count a
 * kernel without the feature as conforming.
 */
public final class KernelTarget implements Target {
    private final Syscalls sys;
    private final Timeouts timeouts;
    private final long seed;
    private Availability availability;

    public KernelTarget(Syscalls sys, Timeouts timeouts, long seed) {
        this.sys = sys;
        this.timeouts = timeouts;
        this.seed = seed;
    }

    /**
     * The kernel under test ({@link KernelUnderTest}: the guest booted from -Dextmmap.kernel, else
     * the one this JVM runs on), timeouts from the system properties.
     */
    public static KernelTarget host(long seed) {
        return new KernelTarget(KernelUnderTest.syscalls(), Timeouts.fromSystemProperties(), seed);
    }

    @Override
    public String name() {
        return sys instanceof AgentSyscalls ? KernelUnderTest.where() : "kernel " + System.getProperty("os.version");
    }

    @Override
    public synchronized Availability availability() {
        if (availability == null) {
            availability = ExtendedMmapProbe.probe(sys, name());
            if (!availability.available()) {
                banner(availability);
            }
        }
        return availability;
    }

    private static boolean bannerShown;

    private static synchronized void banner(Availability a) {
        if (bannerShown) {
            return; // once per JVM is loud enough
        }
        bannerShown = true;
        String line = "!".repeat(78);
        String text = line + "\n!!  EXTENDED MMAP ABSENT on this kernel: kernel conformance is NOT tested here.\n!!  "
                + a.detail() + "\n!!  Kernel tests are reported as skipped (not run), never as passed.\n" + line;
        System.out.println(text);
        System.err.println(text);
    }

    @Override
    public KernelRun start(Config cfg) {
        Availability a = availability();
        if (!a.available()) {
            throw new IllegalStateException("extended mmap absent: " + a.detail());
        }
        return new KernelRun(sys, cfg, timeouts, new DataPattern(seed));
    }

    /**
     * A run on a kernel without the availability check: for the plain-pipe calls only (read,
     * write, close, poll), which a stock kernel does have; used to test the run's machinery.
     */
    KernelRun startPlainPipe(Config cfg) {
        return new KernelRun(sys, cfg, timeouts, new DataPattern(seed));
    }
}
