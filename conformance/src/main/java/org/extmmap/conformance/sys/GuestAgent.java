package org.extmmap.conformance.sys;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * extmmap-agent inside the patched guest: kernel-patch/run-guest.sh boots the kernel with a
 * virtio-serial port whose QEMU chardev connects to a unix socket this JVM listens on, and runs
 * the agent there. The console is followed as it comes: a kernel problem (the patterns
 * run-guest.sh fails on) is kept and reported by {@link #problems}, so that the test running at
 * the time fails, not only the run at its end.
 */
public final class GuestAgent implements AutoCloseable {
    /** What run-guest.sh calls a kernel problem in the console. */
    static final Pattern PROBLEM = Pattern.compile("Oops|BUG:|WARNING:|possible circular locking"
            + "|possible recursive locking|INFO: |Kernel panic|KASAN|UBSAN|general protection fault|Call Trace:");
    static final String PORT = "org.extmmap.agent";

    private final Process guest;
    private final AgentListener listener;
    private final AgentSyscalls sys;
    private final List<String> problems = new ArrayList<>();
    private final List<String> tail = new ArrayList<>();

    /**
     * Boots {@code kernel} with {@code runGuest} (kernel-patch/run-guest.sh) and the agent binary
     * {@code agent}; waits at most {@code boot} for the agent to connect.
     */
    public GuestAgent(Path runGuest, Path kernel, Path agent, Duration boot) {
        for (Path p : List.of(runGuest, kernel, agent)) {
            if (!Files.exists(p)) {
                throw new IllegalStateException("no " + p + " (the kernel: kernel-patch/build.sh; the agent: mvn compile)");
            }
        }
        try {
            Path dir = Files.createTempDirectory("extmmap-guest-agent");
            listener = new AgentListener(dir.resolve("channel"));
            // the guest sees the host's files, but not /tmp (a tmpfs of its own): a clone there
            // would hide the agent, so it runs from a copy in the build directory
            Path visible = Path.of(System.getenv().getOrDefault("EXTMMAP_BUILD_DIR", "/work/build"), "guest-agent");
            Files.createDirectories(visible);
            Path copy = visible.resolve("extmmap-agent");
            Files.copy(agent, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            ProcessBuilder pb = new ProcessBuilder(runGuest.toString(), copy.toString(), "--port", PORT)
                    .redirectErrorStream(true);
            pb.environment().put("EXTMMAP_KERNEL", kernel.toAbsolutePath().toString());
            pb.environment().put("EXTMMAP_AGENT_SOCKET", listener.path().toString());
            pb.environment().putIfAbsent("EXTMMAP_TIMEOUT", "7200");
            System.out.println("[guest-agent] booting " + kernel + " with the agent on a virtio-serial port");
            guest = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + runGuest, e);
        }
        Thread console = new Thread(this::follow, "guest-console");
        console.setDaemon(true);
        console.start();
        long t0 = System.nanoTime();
        sys = listener.accept(boot, guest::isAlive, "the guest (" + runGuest + ", last console lines: " + tail() + ")");
        long pid = sys.awaitHello(boot);
        System.out.printf("[guest-agent] agent (pid %d in the guest) up after %.1f s%n", pid,
                (System.nanoTime() - t0) / 1e9);
    }

    private void follow() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(guest.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null;) {
                synchronized (this) {
                    if (PROBLEM.matcher(line).find()) {
                        problems.add(line);
                    }
                    tail.add(line);
                    if (tail.size() > 20) {
                        tail.remove(0);
                    }
                }
                if (line.startsWith("run-guest.sh") || line.startsWith("guest-init")) {
                    System.out.println("[guest-agent] " + line);
                }
            }
        } catch (IOException e) {
            // the guest is gone: close() reports its status
        }
    }

    private synchronized String tail() {
        return String.join(" | ", tail);
    }

    public AgentSyscalls sys() {
        return sys;
    }

    /** The kernel problems seen in the console so far (empty when clean). */
    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    /** Ends the agent (its channel closes), then waits for the guest to power off; returns run-guest.sh's status. */
    public int shutdown() {
        sys.close();
        listener.close();
        try {
            if (!guest.waitFor(120, TimeUnit.SECONDS)) {
                guest.destroyForcibly();
                throw new IllegalStateException("the guest did not power off after the agent ended");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return guest.exitValue();
    }

    @Override
    public void close() {
        int status = shutdown();
        if (status != 0) {
            throw new IllegalStateException("run-guest.sh exited with " + status + " (126: a kernel problem in the"
                    + " console: " + problems() + ")");
        }
    }
}
