package org.extmmap.conformance.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.extmmap.model.Action;
import org.extmmap.model.End;
import org.extmmap.model.Flags;
import org.extmmap.model.MmapTry;
import org.extmmap.model.Outcome;
import org.extmmap.model.Prot;
import org.extmmap.model.Ret;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A commit blocked after a part of it went in, then a caught signal: the spec ends the msync()
 * with EINTR, and the part stays in the stream (the window's commit point moved). The walks reach
 * this state rarely (a window larger than the free ring, a signal before a reader); built here on
 * purpose, with real sizes, on the kernel, with the model as the oracle. Needs a target whose
 * processes are real (the agent): a caught signal is sent to a process's blocked thread.
 */
class InterruptedCommitTest {
    private static final int PAGE = 4096;

    @BeforeEach
    void needsExtendedMmap() {
        ExtendedMmapRequired.assumeAvailable();
    }

    @Test
    void aCommitInterruptedAfterAPartReturnsEintrAndKeepsThePart() {
        try (Walk w = Walk.onKernel()) {
            assumeTrue(w.processes(), "NOT RUN: a caught signal needs processes of their own (run with"
                    + " -Dextmmap.kernel=BZIMAGE: the agent makes real processes)");
            int len = 3 * PAGE - 100; // more than the ring's two slots hold
            w.take(new Action.Mmap(1, new MmapTry(End.W, Prot.RW, Flags.SHARED, len, 0, Ret.OK)));
            for (int i : new int[] {0, PAGE - 1, PAGE, 2 * PAGE + 7, len - 1}) {
                w.take(new Action.StoreWindow(1, 1, i, 'a' + i % 3));
            }
            w.take(new Action.Msync(1, 1, len));
            assertEquals(Ret.BLOCK, w.last().ret(), "the commit must block: it is longer than the ring");
            w.take(new Action.Signal(1));
            assertEquals(new Outcome.Signal(1, Ret.EINTR, 0), w.last(), "the spec's verdict for the signal");
            // what went in stays in: a read returns the committed part of the window
            w.take(new Action.Read(1, ExtMmapWalkProperties.WHOLE.maxIO()));
            assertEquals(Ret.OK, w.last().ret());
            // and the rest is committed from where the window's commit point now stands
            w.take(new Action.Msync(1, 1, len));
        }
    }
}
