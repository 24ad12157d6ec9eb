package org.extmmap.model.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One deliberately wrong variant of the spec, as listed in spec/Mutants.txt. */
record Mutant(String name, String config, String expect, String find, String replace, String why) {

    /** Blocks of `key: value` lines separated by blank lines; `#` lines are comments. */
    static List<Mutant> parse(String text) {
        List<Mutant> out = new ArrayList<>();
        Map<String, String> block = new LinkedHashMap<>();
        for (String line : (text + "\n\n").split("\n", -1)) {
            if (line.startsWith("#")) {
                continue;
            }
            if (line.isBlank()) {
                if (!block.isEmpty()) {
                    out.add(of(block));
                    block.clear();
                }
                continue;
            }
            int colon = line.indexOf(": ");
            if (colon < 0) {
                throw new IllegalArgumentException("Mutants.txt: expected `key: value`, got: " + line);
            }
            block.put(line.substring(0, colon), line.substring(colon + 2));
        }
        return out;
    }

    private static Mutant of(Map<String, String> b) {
        for (String k : List.of("name", "config", "expect", "find", "replace", "why")) {
            if (!b.containsKey(k)) {
                throw new IllegalArgumentException("Mutants.txt: block " + b + " lacks `" + k + "`");
            }
        }
        return new Mutant(b.get("name"), b.get("config"), b.get("expect"), b.get("find"), b.get("replace"),
                b.get("why"));
    }

    /** The mutated spec text; the original text must occur exactly once so the mutation is unambiguous. */
    String apply(String spec) {
        int at = spec.indexOf(find);
        if (at < 0 || spec.indexOf(find, at + 1) >= 0) {
            throw new IllegalStateException("mutant " + name + ": `" + find + "` must occur exactly once in "
                    + SpecFiles.SPEC_MODULE + " (the spec changed; update spec/Mutants.txt)");
        }
        return spec.substring(0, at) + replace + spec.substring(at + find.length());
    }
}
