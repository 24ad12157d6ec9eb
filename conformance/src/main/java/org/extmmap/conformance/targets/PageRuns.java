package org.extmmap.conformance.targets;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The pages a mapping still has, as contiguous runs. A page of a mapping that was unmapped is no
 * longer the mapping's: the kernel may have placed a newer mapping in that hole, so every system
 * call made for a mapping covers only runs of its still-mapped pages.
 */
final class PageRuns {
    /** Pages [from, to) of a mapping, all still mapped. */
    record Run(int from, int to) {
        int pages() {
            return to - from;
        }
    }

    private PageRuns() {
    }

    /** The runs of still-mapped pages within [a, b), in ascending order. */
    static List<Run> within(BitSet mapped, int a, int b) {
        List<Run> runs = new ArrayList<>();
        for (int k = mapped.nextSetBit(a); k >= 0 && k < b; ) {
            int end = Math.min(b, mapped.nextClearBit(k));
            runs.add(new Run(k, end));
            k = mapped.nextSetBit(end);
        }
        return runs;
    }

    /** Every run of still-mapped pages. */
    static List<Run> all(BitSet mapped) {
        return within(mapped, 0, Integer.MAX_VALUE);
    }
}
