package org.extmmap.conformance.sys;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@link Syscalls} contract through extmmap-agent, a process of its own on this machine:
 * the protocol, the agent's calls and its real CPU accesses (signals caught) against stock Linux.
 */
class AgentSyscallsTest extends SyscallsContract {
    private static HostAgent agent;

    @BeforeAll
    static void start() {
        agent = new HostAgent(Path.of(System.getProperty("extmmap.agent", "target/extmmap-agent")));
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    @Override
    protected Syscalls syscalls() {
        return agent.sys();
    }

    @Override
    protected boolean seesSigpipe() {
        return true;
    }

    @Override
    protected long callerPid() {
        return agent.pid();
    }

    @Test
    void theCallsAreTheAgentsNotThisJvms() {
        assertNotEquals(ProcessHandle.current().pid(), (long) sys.getpid());
    }

    /** The channel's round trip, printed (a measurement, not a check). */
    @Test
    void roundTrip() {
        AgentSyscalls a = agent.sys();
        for (int i = 0; i < 200; i++) {
            a.ping();
        }
        int n = 2000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            a.ping();
        }
        System.out.printf("agent round trip (unix socket, host): %.1f us%n", (System.nanoTime() - t0) / 1e3 / n);
    }
}
