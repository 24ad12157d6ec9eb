package org.extmmap.conformance.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.extmmap.model.Action;
import org.extmmap.model.End;
import org.extmmap.model.Flags;
import org.extmmap.model.MmapTry;
import org.extmmap.model.Prot;
import org.extmmap.model.Ret;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Msync's snapshot rule for a shared window: later stores to committed bytes do not change the
 * stream, whichever process makes them. The kernel lends a whole page committed from a page
 * boundary to the pipe, so the rule holds only if the page leaves every process's mapping of the
 * window, a forked child's too. The walks, graphs and histories never built the one order that
 * shows it (kernel-patch/mutants/RESULTS.md, mutant 24): the child maps the page before the
 * commit and stores to it after, before the page is read. Built here with real sizes, on the
 * kernel, with the model as the oracle.
 */
class LentPageTest {
    private static final int PAGE = 4096;

    @BeforeEach
    void needsExtendedMmap() {
        ExtendedMmapRequired.assumeAvailable();
    }

    @Test
    void aForkedStoreAfterAWholePageCommitChangesTheWindowNotTheStream() {
        try (Walk w = Walk.onKernel()) {
            assumeTrue(w.processes(), "NOT RUN: fork needs processes of their own (run with"
                    + " -Dextmmap.kernel=BZIMAGE: the agent makes real processes)");
            w.take(new Action.Mmap(1, new MmapTry(End.W, Prot.RW, Flags.SHARED, 2 * PAGE, 0, Ret.OK)));
            w.take(new Action.StoreWindow(1, 1, 0, 'a'));
            w.take(new Action.Fork(1));
            // the child's own PTE on page 0, before the commit
            w.take(new Action.StoreWindow(2, 1, 5, 'b'));
            w.take(new Action.Msync(1, 1, PAGE));
            // after the commit returned: the window changes, the stream must not
            w.take(new Action.StoreWindow(2, 1, 5, 'c'));
            w.take(new Action.Read(1, PAGE));
            assertEquals(Ret.OK, w.last().ret());
            // the window's second page, never stored to, goes in as zeroes
            w.take(new Action.Msync(1, 1, 2 * PAGE));
            w.take(new Action.Read(1, PAGE));
            w.assertNotCutShort();
        }
    }
}
