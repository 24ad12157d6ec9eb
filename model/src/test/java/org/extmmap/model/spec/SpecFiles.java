package org.extmmap.model.spec;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the spec lives, seen from the model module (Surefire runs in model/). */
final class SpecFiles {
    static final Path DIR = Path.of("..", "spec").toAbsolutePath().normalize();
    static final String MAIN_MODULE = "ExtMmapProps.tla";
    static final String SPEC_MODULE = "ExtMmap.tla";

    private SpecFiles() {
    }

    static Path config(String name) {
        Path p = DIR.resolve(name + ".cfg");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("no configuration " + p);
        }
        return p;
    }
}
