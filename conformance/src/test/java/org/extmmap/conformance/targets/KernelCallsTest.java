package org.extmmap.conformance.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.extmmap.model.Action;
import org.extmmap.model.units.Unit;
import org.extmmap.model.units.Units;
import org.junit.jupiter.api.Test;

/** Every unit of the spec has exactly one kernel half, and a missing one is named. */
class KernelCallsTest {
    @Test
    void oneKernelHalfPerUnit() {
        Set<Class<?>> units = Units.ALL.stream().map(Unit::type).collect(Collectors.toSet());
        List<Class<?>> calls = KernelCalls.all().stream().<Class<?>>map(KernelCalls.Entry::type).toList();
        assertEquals(units.size(), calls.size(), "one kernel half per unit");
        assertEquals(units, Set.copyOf(calls));
    }

    @Test
    void aUnitWithoutKernelHalfIsNamed() {
        Set<Class<?>> allButLoad = Units.ALL.stream().<Class<?>>map(Unit::type).filter(t -> t != Action.Load.class)
                .collect(Collectors.toSet());
        assertEquals(List.of("Load"), KernelCalls.missing(Units.ALL, allButLoad));
    }
}
