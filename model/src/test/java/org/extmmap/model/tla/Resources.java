package org.extmmap.model.tla;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Test resources as files (TLC and the DOT reader want paths). */
final class Resources {
    private Resources() {
    }

    static Path path(String name) {
        try {
            return Path.of(Resources.class.getResource("/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource " + name, e);
        }
    }
}
