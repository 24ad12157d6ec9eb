package org.extmmap.conformance.targets;

import org.extmmap.model.Action;
import org.extmmap.model.End;
import org.extmmap.model.Flags;
import org.extmmap.model.MmapTry;
import org.extmmap.model.Prot;
import org.extmmap.model.Ret;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MmapOk's rule for the write end: a window starts as len zero bytes. The kernel reuses the pages
 * of a window that went away for the pipe's next window once the readers are done with them
 * (patch 6), so the rule holds only if a reused page is zeroed again. The walks and graphs never
 * map a second window after the first one's pages were read and unmapped (mutant 26 survived
 * them). Built here with real sizes, on the kernel, with the model as the oracle: the second
 * window's page is committed without a store at offset 0, where the first window had one.
 */
class RecycledPageTest {
    private static final int PAGE = 4096;

    @BeforeEach
    void needsExtendedMmap() {
        ExtendedMmapRequired.assumeAvailable();
    }

    @Test
    void aWindowOverRecycledPagesStartsZeroed() {
        try (Walk w = Walk.onKernel()) {
            w.take(new Action.Mmap(1, new MmapTry(End.W, Prot.RW, Flags.SHARED, PAGE, 0, Ret.OK)));
            w.take(new Action.StoreWindow(1, 1, 0, 'a'));
            w.take(new Action.Msync(1, 1, PAGE));
            w.take(new Action.Read(1, PAGE));
            // the first window goes away after its page was read: the page is idle
            w.take(new Action.Munmap(1, 1, 0, 1));
            w.take(new Action.Mmap(1, new MmapTry(End.W, Prot.RW, Flags.SHARED, PAGE, 0, Ret.OK)));
            w.take(new Action.StoreWindow(1, 2, 5, 'b'));
            w.take(new Action.Msync(1, 2, PAGE));
            // offset 0 of the second window was never stored to: zero, not the first one's 'a'
            w.take(new Action.Read(1, PAGE));
            w.assertNotCutShort();
        }
    }

    /** LoadValue's rule: a resident claim page never changes, though its window went away. */
    @Test
    void aClaimKeepsItsPageWhileTheNextWindowIsStoredTo() {
        try (Walk w = Walk.onKernel()) {
            w.take(new Action.Mmap(1, new MmapTry(End.W, Prot.RW, Flags.SHARED, PAGE, 0, Ret.OK)));
            w.take(new Action.StoreWindow(1, 1, 0, 'a'));
            w.take(new Action.Msync(1, 1, PAGE));
            w.take(new Action.Mmap(1, new MmapTry(End.R, Prot.R, Flags.SHARED, PAGE, 0, Ret.OK)));
            w.take(new Action.Load(1, 2, 0));
            // the window goes away while the claim still maps its page
            w.take(new Action.Munmap(1, 1, 0, 1));
            w.take(new Action.Mmap(1, new MmapTry(End.W, Prot.RW, Flags.SHARED, PAGE, 0, Ret.OK)));
            w.take(new Action.StoreWindow(1, 3, 0, 'b'));
            w.take(new Action.Load(1, 2, 0));
            w.assertNotCutShort();
        }
    }
}
