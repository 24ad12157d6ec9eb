package org.extmmap.model.units;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.extmmap.model.Action;
import org.junit.jupiter.api.Test;

/** Every action of the spec's Next has exactly one unit, and every unit is an action of Next. */
class UnitsCoverNextTest {
    static final Path SPEC = Path.of("..", "spec", "ExtMmap.tla");

    /** The action names Next lists: each disjunct calls {@code Name(p, ...)}. */
    static List<String> nextActions(String spec) {
        int from = spec.indexOf("\nNext ==");
        assertTrue(from >= 0, "spec/ExtMmap.tla has no Next");
        int to = spec.indexOf("\n\n", from);
        Matcher m = Pattern.compile("\\b([A-Z][A-Za-z]*)\\(p\\b").matcher(spec.substring(from, to));
        Set<String> names = new LinkedHashSet<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return List.copyOf(names);
    }

    @Test
    void oneUnitPerActionOfNext() throws IOException {
        List<String> next = nextActions(Files.readString(SPEC));
        List<String> units = Units.ALL.stream().map(Unit::label).toList();
        assertEquals(next, units, "Units.ALL must list one unit per action of spec/ExtMmap.tla's Next, in its order");
    }

    @Test
    void everyActionTypeHasAUnit() {
        List<String> types = Arrays.stream(Action.class.getPermittedSubclasses()).map(Class::getSimpleName).sorted()
                .toList();
        List<String> units = Units.ALL.stream().map(u -> u.type().getSimpleName()).sorted().toList();
        assertEquals(types, units, "every record of Action needs a unit in Units.ALL");
    }

    @Test
    void theParserFindsAMissingAction() {
        // shown able to fail: a Next with one more action than there are units
        String spec = "\nNext ==\n    \\E p \\in Procs :\n        \\/ Wake(p)\n        \\/ Dup(p)\n\n";
        assertEquals(List.of("Wake", "Dup"), nextActions(spec));
    }
}
