package org.extmmap.conformance.graph;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.extmmap.model.Config;

/** Markdown sections of the conformance report, one file each under target/conformance-report/. */
public final class ConformanceReport {
    private ConformanceReport() {
    }

    public static Path dir() {
        return Path.of("target", "conformance-report");
    }

    public static void write(String section, String markdown) {
        try {
            Files.createDirectories(dir());
            Files.writeString(dir().resolve(section + ".md"), markdown);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println(markdown);
    }

    /** Writes the C reproducer of {@code steps} (the last one the failing step) as repro-NAME.c; returns its path. */
    public static Path reproducer(String name, Config cfg, List<SpecStep> steps, String title) {
        Path file = dir().resolve("repro-" + name + ".c");
        try {
            Files.createDirectories(dir());
            Files.writeString(file, CReproducer.of(cfg, steps, title));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
