package org.extmmap.conformance.sys;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The kernel the tests check, chosen once per JVM. With {@code -Dextmmap.kernel=BZIMAGE} it is
 * that kernel, booted in a guest ({@link GuestAgent}) for the whole run and reached through the
 * agent; without, the kernel this JVM runs on, in-process ({@link LibcSyscalls}). Both are one
 * {@link Syscalls}, so every test runs unchanged either way.
 *
 * <p>Properties: {@code extmmap.kernel}, {@code extmmap.agent} (the agent binary, default
 * target/extmmap-agent), {@code extmmap.runGuest} (default ../kernel-patch/run-guest.sh).
 */
public final class KernelUnderTest {
    private static Syscalls sys;
    private static GuestAgent guest;
    private static RuntimeException failed; // a guest that did not come up is not booted again

    private KernelUnderTest() {
    }

    /** The kernel's system calls: the guest's agent, or libc in-process. */
    public static synchronized Syscalls syscalls() {
        if (failed != null) {
            throw new IllegalStateException("the guest kernel did not come up earlier in this run: "
                    + failed.getMessage(), failed);
        }
        if (sys == null) {
            String kernel = System.getProperty("extmmap.kernel", "");
            if (kernel.isEmpty()) {
                sys = new LibcSyscalls();
            } else {
                try {
                    guest = new GuestAgent(Path.of(System.getProperty("extmmap.runGuest", "../kernel-patch/run-guest.sh")),
                            Path.of(kernel), Path.of(System.getProperty("extmmap.agent", "target/extmmap-agent")),
                            Duration.ofMinutes(5));
                } catch (RuntimeException e) {
                    failed = e;
                    throw e;
                }
                Runtime.getRuntime().addShutdownHook(new Thread(KernelUnderTest::endGuest, "guest-shutdown"));
                sys = guest.sys();
            }
        }
        return sys;
    }

    /**
     * At the end of the JVM: the agent ends, the guest powers off, and run-guest.sh's status (0,
     * or 126 for a kernel problem in the console) goes to {@code extmmap.guestStatus} (default
     * target/guest-agent.status), which ./test.sh checks: a shutdown hook cannot fail a test.
     */
    private static void endGuest() {
        int status = guest.shutdown();
        String line = status + (guest.problems().isEmpty() ? " console clean" : " KERNEL PROBLEMS: " + guest.problems());
        System.out.println("[guest-agent] guest ended, run-guest.sh status " + line);
        try {
            java.nio.file.Files.writeString(Path.of(System.getProperty("extmmap.guestStatus", "target/guest-agent.status")),
                    line + "\n");
        } catch (java.io.IOException e) {
            System.err.println("[guest-agent] cannot write the guest's status: " + e);
        }
    }

    /** Where the calls go, for reports: "in-process" or the guest's kernel. */
    public static synchronized String where() {
        syscalls();
        return guest == null ? "in-process, kernel " + System.getProperty("os.version")
                : "guest agent, kernel " + System.getProperty("extmmap.kernel");
    }

    /** The kernel problems the guest's console showed so far; always empty in-process. */
    public static synchronized List<String> problems() {
        return guest == null ? List.of() : guest.problems();
    }
}
