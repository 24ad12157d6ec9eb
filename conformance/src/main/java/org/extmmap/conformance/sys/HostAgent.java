package org.extmmap.conformance.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * extmmap-agent as a process on this machine, connected through a unix socket: the agent's
 * protocol and its real accesses checked on the kernel this JVM runs on, before the same agent
 * runs in the guest.
 */
public final class HostAgent implements AutoCloseable {
    private final Process process;
    private final AgentListener listener;
    private final AgentSyscalls sys;

    /** Starts the agent binary {@code agent} and connects to it. */
    public HostAgent(Path agent) {
        if (!Files.isExecutable(agent)) {
            throw new IllegalStateException("no agent at " + agent + ": the Maven build compiles it (mvn compile)");
        }
        try {
            Path dir = Files.createTempDirectory("extmmap-agent");
            listener = new AgentListener(dir.resolve("channel"));
            process = new ProcessBuilder(agent.toString(), "--connect", listener.path().toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + agent, e);
        }
        sys = listener.accept(Duration.ofSeconds(30), process::isAlive, "extmmap-agent (pid " + process.pid() + ")");
        sys.awaitHello(Duration.ofSeconds(30));
    }

    public AgentSyscalls sys() {
        return sys;
    }

    public long pid() {
        return process.pid();
    }

    /** Closes the channel and waits for the agent to exit (it exits 0 when the channel closes). */
    @Override
    public void close() {
        sys.close();
        listener.close();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("extmmap-agent did not exit after its channel closed");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("extmmap-agent exited with status " + process.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
