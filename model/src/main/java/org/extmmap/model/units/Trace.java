package org.extmmap.model.units;

import java.util.List;

/**
 * Where a unit's action lives in every layer: the TLA+ definitions and properties it stands for
 * (spec/), the kernel functions that implement it (kernel-patch/patches/), and the kselftest
 * cases that exercise it. UnitTraceTest checks that every name exists.
 */
public record Trace(List<String> spec, List<String> properties, List<String> kernel, List<String> selftests) {
    public Trace {
        spec = List.copyOf(spec);
        properties = List.copyOf(properties);
        kernel = List.copyOf(kernel);
        selftests = List.copyOf(selftests);
    }
}
