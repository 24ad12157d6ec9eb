package org.extmmap.conformance.child;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A running extmmap-child (src/main/c/extmmap-child.c): commands go to its stdin, reply lines
 * come back from its stdout, and its death (by a signal, such as a real SIGBUS or SIGKILL) is
 * itself a reply. The JVM cannot take a SIGBUS or be SIGKILLed and report it; this process can.
 */
public final class ChildHelper implements AutoCloseable {
    /** Where Maven builds the helper; surefire passes it as a system property. */
    public static final String PROPERTY = "extmmap.child";
    private static final String EOF = "\u0000eof";

    private final Process process;
    private final OutputStream in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ChildHelper(Process process) {
        this.process = process;
        this.in = process.getOutputStream();
        Thread pump = new Thread(this::pump, "extmmap-child-" + process.pid());
        pump.setDaemon(true);
        pump.start();
    }

    public static Path binary() {
        Path p = Path.of(System.getProperty(PROPERTY, "target/extmmap-child"));
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("child helper " + p + " not built: run the build through Maven"
                    + " (exec-maven-plugin compiles src/main/c/extmmap-child.c)");
        }
        return p;
    }

    public static ChildHelper start() {
        try {
            return new ChildHelper(new ProcessBuilder(binary().toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the process went away: same as end of output
        }
        lines.add(EOF);
    }

    /** Sends one command line. */
    public void send(String command) {
        try {
            in.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            in.flush();
        } catch (IOException e) {
            // a dead helper cannot take commands; the next reply says how it died
        }
    }

    /** The next reply: a line, silence for {@code wait}, or the helper's death. */
    public Reply next(Duration wait) {
        try {
            String line = lines.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                return new Reply.Silent();
            }
            if (line.equals(EOF)) {
                lines.add(EOF); // stays dead for later calls
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("helper closed its output but did not exit");
                }
                int code = process.exitValue();
                // Java reports death by signal N as exit value 128 + N
                return code > 128 ? new Reply.Died(code, code - 128) : new Reply.Died(code, 0);
            }
            return new Reply.Line(line);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends a command and returns its reply. */
    public Reply call(String command, Duration wait) {
        send(command);
        return next(wait);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
