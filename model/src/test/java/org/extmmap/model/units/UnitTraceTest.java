package org.extmmap.model.units;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every name a unit's trace gives exists where it says: a definition in spec/, a function in the
 * kernel series, a TEST() of the kselftest. A renamed definition or function fails here.
 */
class UnitTraceTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static String read(Path dir, String glob) {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches(glob)).sorted().toList()) {
                all.append(Files.readString(f)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.toString();
    }

    static List<String> missing(Trace t, String spec, String kernel, String selftest) {
        List<String> out = new ArrayList<>();
        for (String d : t.spec()) {
            if (!Pattern.compile("(?m)^" + d + "\\b[^=\\n]*==").matcher(spec).find()) {
                out.add("spec definition " + d);
            }
        }
        for (String d : t.properties()) {
            if (!Pattern.compile("(?m)^" + d + "\\b[^=\\n]*==").matcher(spec).find()) {
                out.add("spec property " + d);
            }
        }
        for (String f : t.kernel()) {
            if (!Pattern.compile("\\b" + f + "\\(").matcher(kernel).find()) {
                out.add("kernel function " + f);
            }
        }
        for (String s : t.selftests()) {
            if (!selftest.contains("TEST(" + s + ")")) {
                out.add("selftest " + s);
            }
        }
        return out;
    }

    /**
     * The diff sections of the series (cover letter left out) for files whose path does or does not
     * start with @prefix: kernel code and kselftest are split by file, not by patch, since a patch
     * may carry both (patch 6).
     */
    static String sections(String series, String prefix, boolean under) {
        StringBuilder out = new StringBuilder();
        for (String d : series.split("\n(?=diff --git a/)")) {
            if (d.startsWith("diff --git a/") && d.startsWith("diff --git a/" + prefix) == under
                    && !d.startsWith("diff --git a/Documentation/")) {
                out.append(d).append('\n');
            }
        }
        return out.toString();
    }

    @Test
    void everyTracedNameExists() {
        String spec = read(ROOT.resolve("spec"), ".*\\.tla");
        String series = read(ROOT.resolve("kernel-patch/patches"), "00(0[1-9]|[1-9][0-9])-.*\\.patch");
        String kernel = sections(series, "tools/", false);
        String selftest = sections(series, "tools/testing/selftests/", true);
        List<String> problems = new ArrayList<>();
        for (Unit<?> u : Units.ALL) {
            assertFalse(u.trace().spec().isEmpty(), u.label() + " traces no spec definition");
            assertFalse(u.trace().kernel().isEmpty(), u.label() + " traces no kernel function");
            missing(u.trace(), spec, kernel, selftest).forEach(m -> problems.add(u.label() + ": no " + m));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void aWrongNameIsFound() {
        Trace t = new Trace(List.of("Load", "Lod"), List.of(), List.of("pipe_claim_fault", "pipe_claim_faults"),
                List.of("lifetime", "lifetimes"));
        String spec = "Load(p, o, i) ==\n    x\n";
        String kernel = "static vm_fault_t pipe_claim_fault(struct vm_fault *vmf)";
        assertEquals(List.of("spec definition Lod", "kernel function pipe_claim_faults", "selftest lifetimes"),
                missing(t, spec, kernel, "+TEST(lifetime)\n"));
    }
}
