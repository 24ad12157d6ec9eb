package org.extmmap.conformance.sys;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connection to an extmmap-agent (src/main/c/extmmap-agent.c, whose header describes the
 * frames): requests out, replies in, matched by id, and the agent's notices that a process is
 * gone. {@link AgentSyscalls} is the calls of one agent process over it.
 */
final class AgentChannel {
    /** A reply: the call's value, its errno, its bytes. */
    record Reply(long ret, int errno, byte[] data) {
        SysResult result() {
            return errno == 0 ? SysResult.ok(ret) : SysResult.failed(errno);
        }
    }

    /** A request that will never be answered: its process is gone (exit, SIGKILL). */
    static final class ProcessGone extends RuntimeException {
        ProcessGone(int proc) {
            super("agent process " + proc + " is gone");
        }
    }

    private static final int ARGS = 6;
    private static final int HEADER = 4 + 4 + 4 + 4 + ARGS * 8;
    private static final int GONE_ID = -1;

    private record Pending(int proc, int thread, CompletableFuture<Reply> reply) {
    }

    private final ByteChannel channel;
    private final Map<Integer, Pending> waiting = new ConcurrentHashMap<>();
    private final Set<String> busy = ConcurrentHashMap.newKeySet(); // proc/thread with a request in flight
    private final Map<Integer, CompletableFuture<Void>> gone = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger procs = new AtomicInteger(); // process numbers handed out (0: the router)
    private final Map<Thread, Integer> numbers = new HashMap<>(); // guarded by itself
    private int nextNumber = 1;
    private volatile IOException broken;
    private final LinkedBlockingQueue<ByteBuffer> outgoing = new LinkedBlockingQueue<>();
    private final CompletableFuture<Reply> hello = new CompletableFuture<>();

    AgentChannel(ByteChannel channel) {
        this.channel = channel;
        waiting.put(0, new Pending(0, 0, hello));
        Thread reader = new Thread(this::readReplies, "extmmap-agent-replies");
        reader.setDaemon(true);
        reader.start();
        Thread writer = new Thread(this::writeRequests, "extmmap-agent-requests");
        writer.setDaemon(true);
        writer.start();
    }

    // Only this thread writes: an interrupt of a caller (a test ending its process thread) would
    // close an interruptible channel under everybody's feet.
    private void writeRequests() {
        try {
            while (true) {
                ByteBuffer b = outgoing.take();
                while (b.hasRemaining()) {
                    channel.write(b);
                }
            }
        } catch (IOException e) {
            fail(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readReplies() {
        try {
            while (true) {
                ByteBuffer len = readFully(4);
                int n = len.getInt(0);
                if (n < 16 || n > (64 << 20)) {
                    throw new IOException("bad reply length " + n);
                }
                ByteBuffer b = readFully(n);
                int id = b.getInt();
                long ret = b.getLong();
                int errno = b.getInt();
                byte[] data = new byte[b.remaining()];
                b.get(data);
                if (id == GONE_ID) {
                    buried((int) ret);
                    continue;
                }
                Pending p = waiting.remove(id);
                if (p == null) {
                    throw new IOException("reply to request " + id + ", which nobody waits for");
                }
                busy.remove(p.proc() + "/" + p.thread());
                p.reply().complete(new Reply(ret, errno, data));
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    /** Process proc is torn down: what it was still asked will never be answered. */
    private void buried(int proc) {
        waiting.entrySet().removeIf(e -> {
            if (e.getValue().proc() != proc) {
                return false;
            }
            busy.remove(proc + "/" + e.getValue().thread());
            e.getValue().reply().completeExceptionally(new ProcessGone(proc));
            return true;
        });
        gone.computeIfAbsent(proc, x -> new CompletableFuture<>()).complete(null);
    }

    private void fail(IOException e) {
        broken = e;
        waiting.values().forEach(p -> p.reply().completeExceptionally(e));
        gone.values().forEach(f -> f.completeExceptionally(e));
    }

    private ByteBuffer readFully(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new EOFException("the agent closed the channel (did the guest or the agent die?)");
            }
        }
        return b.flip();
    }

    /** A new process number (the agent's processes are named by the driver). */
    int newProcess() {
        int p = procs.incrementAndGet();
        gone.put(p, new CompletableFuture<>());
        return p;
    }

    /** Sends a request without waiting for its reply. */
    CompletableFuture<Reply> send(int proc, int op, byte[] data, long... args) {
        if (broken != null) {
            throw new IllegalStateException("the agent channel is broken: " + broken.getMessage(), broken);
        }
        int id = ids.incrementAndGet();
        int number = numberOf(Thread.currentThread());
        CompletableFuture<Reply> f = new CompletableFuture<>();
        busy.add(proc + "/" + number);
        waiting.put(id, new Pending(proc, number, f));
        ByteBuffer b = ByteBuffer.allocate(4 + HEADER + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(HEADER + data.length).putInt(id).putInt(proc).putInt(number).putInt(op);
        for (int i = 0; i < ARGS; i++) {
            b.putLong(i < args.length ? args[i] : 0);
        }
        b.put(data).flip();
        try {
            outgoing.put(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending to the agent", e);
        }
        return f;
    }

    /** A request and its reply; {@link ProcessGone} if the process died first. */
    Reply call(int proc, int op, String what, byte[] data, long... args) {
        try {
            return send(proc, op, data, args).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the agent makes " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProcessGone g) {
                throw g;
            }
            throw new IllegalStateException("the agent did not answer " + what + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /** Waits until the agent reports process proc torn down. */
    void awaitGone(int proc, Duration timeout) {
        try {
            gone.computeIfAbsent(proc, x -> new CompletableFuture<>()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("agent process " + proc + " was not torn down within " + timeout
                    + " (a task stuck in the kernel? see the guest console)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the agent channel broke: " + e.getCause().getMessage(), e.getCause());
        }
    }

    boolean isGone(int proc) {
        CompletableFuture<Void> f = gone.get(proc);
        return f != null && f.isDone();
    }

    /**
     * The agent thread for a thread of this JVM: its own while it lives; a thread that ended
     * hands its number on once its last request is answered (a test's process threads come and
     * go by the thousand, the agent keeps as many threads as are alive here at once).
     */
    private int numberOf(Thread t) {
        synchronized (numbers) {
            Integer n = numbers.get(t);
            if (n != null) {
                return n;
            }
            Thread dead = null;
            for (Map.Entry<Thread, Integer> e : numbers.entrySet()) {
                if (!e.getKey().isAlive() && busy.stream().noneMatch(s -> s.endsWith("/" + e.getValue()))) {
                    dead = e.getKey();
                    break;
                }
            }
            int number = dead != null ? numbers.remove(dead) : nextNumber++;
            numbers.put(t, number);
            return number;
        }
    }

    /** Waits for the agent's first frame (it sends one when it starts); returns the agent's pid. */
    long awaitHello(Duration timeout) {
        try {
            return hello.get(timeout.toMillis(), TimeUnit.MILLISECONDS).ret();
        } catch (TimeoutException e) {
            throw new IllegalStateException("the agent did not start within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the agent's channel closed before it started: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    void close() throws IOException {
        channel.close();
    }
}
