package org.extmmap.conformance.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageRunsTest {
    private static BitSet pages(String map) { // '#' mapped, '.' unmapped
        BitSet b = new BitSet();
        for (int k = 0; k < map.length(); k++) {
            b.set(k, map.charAt(k) == '#');
        }
        return b;
    }

    @Test
    void runsSkipTheHolesAndStayWithinTheRange() {
        BitSet p = pages("##.#..##");
        assertEquals(List.of(new PageRuns.Run(0, 2), new PageRuns.Run(3, 4), new PageRuns.Run(6, 8)), PageRuns.all(p));
        assertEquals(List.of(new PageRuns.Run(1, 2), new PageRuns.Run(3, 4), new PageRuns.Run(6, 7)),
                PageRuns.within(p, 1, 7));
        assertEquals(List.of(), PageRuns.within(p, 4, 6));
        assertEquals(List.of(), PageRuns.all(pages("...")));
    }
}
