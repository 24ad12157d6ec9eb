package org.extmmap.conformance.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The driver's end of the agent channel: a unix socket this JVM listens on, to which the other
 * end connects once (extmmap-agent --connect, or QEMU's chardev for the guest's virtio-serial
 * port). Listening first means the peer can be started after, and a peer that never connects is
 * an error with its cause, not a hang.
 */
public final class AgentListener implements AutoCloseable {
    private final Path path;
    private final ServerSocketChannel server;

    public AgentListener(Path path) {
        this.path = path;
        try {
            Files.deleteIfExists(path);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            server.configureBlocking(false);
        } catch (IOException e) {
            throw new UncheckedIOException("listening on " + path, e);
        }
    }

    public Path path() {
        return path;
    }

    /**
     * Waits for the peer to connect, at most {@code timeout}, while {@code alive} says the peer
     * (a process) still runs; {@code who} names it in the error.
     */
    public AgentSyscalls accept(Duration timeout, BooleanSupplier alive, String who) {
        long end = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                SocketChannel c = server.accept();
                if (c != null) {
                    c.configureBlocking(true);
                    return new AgentSyscalls(c);
                }
                if (!alive.getAsBoolean()) {
                    throw new IllegalStateException(who + " ended before it connected to " + path);
                }
                if (System.nanoTime() > end) {
                    throw new IllegalStateException(who + " did not connect to " + path + " within " + timeout);
                }
                Thread.sleep(5);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("accepting on " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + who, e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
