package org.extmmap.conformance.graph;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
