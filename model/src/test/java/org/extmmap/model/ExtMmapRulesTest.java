package org.extmmap.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.extmmap.model.Action.Close;
import org.extmmap.model.Action.Fork;
import org.extmmap.model.Action.Load;
import org.extmmap.model.Action.Mmap;
import org.extmmap.model.Action.Msync;
import org.extmmap.model.Action.Read;
import org.extmmap.model.Action.StoreWindow;
import org.extmmap.model.Action.Wake;
import org.extmmap.model.Action.Write;
import org.junit.jupiter.api.Test;

/**
 * The model's rules on hand-built scenarios. Expectations come from semantics.md (quoted in the
 * comments), not from running the model.
 */
class ExtMmapRulesTest {
    private static final Config CFG = new Config(2, 2, 4, 4, 4, 16, 3, List.of((byte) 'a', (byte) 'b', (byte) 'c'),
            Config.ALL_OPS);
    private static final int A = 'a';
    private static final int B = 'b';

    private final ExtMmap model = new ExtMmap(CFG);

    private static MmapTry claim(int len) {
        return new MmapTry(End.R, Prot.R, Flags.SHARED, len, 0, Ret.OK);
    }

    private static MmapTry window(int len) {
        return new MmapTry(End.W, Prot.RW, Flags.SHARED, len, 0, Ret.OK);
    }

    /** Takes the steps in order, failing if one is not enabled; returns the last state. */
    private State run(State s, Action... actions) {
        for (Action a : actions) {
            State from = s;
            s = model.take(s, a).orElseThrow(() -> new AssertionError(a + " is not enabled in " + from)).next();
        }
        return s;
    }

    private Outcome.Fault loadOutcome(State s, int p, int o, int i) {
        return (Outcome.Fault) run(s, new Load(p, o, i)).last();
    }

    @Test
    void loadBlocksUntilItsPageIsCommittedThenWakes() {
        // "Otherwise the load blocks until one of the above holds."
        State s = run(model.initial(), new Mmap(1, claim(2)), new Fork(1), new Load(1, 1, 0));
        assertEquals(Ret.BLOCK, s.last().ret());
        // one byte of the two-byte page is not enough: still blocked, and nothing to wake
        s = run(s, new Write(2, Bytes.of("a")));
        assertFalse(model.wakePending(s));
        // "All bytes of that page committed -> the load returns S[R0+i]"; the waiter is woken
        // before anything else happens
        s = run(s, new Write(2, Bytes.of("b")));
        assertTrue(model.wakePending(s));
        List<Step> steps = model.steps(s);
        assertEquals(List.of("Wake"), steps.stream().map(Step::label).distinct().toList());
        Outcome.Fault woke = (Outcome.Fault) run(s, new Wake(1)).last();
        assertEquals(Ret.OK, woke.ret());
        assertEquals(A, woke.val());
    }

    @Test
    void sigbusPastTheLastPageAtEofAndZeroFillInTheLastPage() {
        // claim [0, 4): pages [0, 2) and [2, 4); one byte committed, then EOF
        State s = run(model.initial(), new Mmap(1, claim(4)), new Write(1, Bytes.of("a")), new Close(1, End.W));
        assertTrue(s.eof());
        // "EOF and R0+i < F -> S[R0+i]"
        assertEquals(A, loadOutcome(s, 1, 1, 0).val());
        // "EOF and the page holds at least one stream byte but R0+i >= F -> 0"
        Outcome.Fault zero = loadOutcome(s, 1, 1, 1);
        assertEquals(Ret.OK, zero.ret());
        assertEquals(Bytes.ZERO, zero.val());
        // "EOF and the page holds no stream byte -> SIGBUS"
        assertEquals(Ret.SIGBUS, loadOutcome(s, 1, 1, 2).ret());
        assertEquals(Ret.SIGBUS, loadOutcome(s, 1, 1, 3).ret());
    }

    @Test
    void bytesPastTheMappingLengthReadZeroInACompletePage() {
        // len 3 with P = 2: the last page is [2, 3); offset 3 lies past the mapping's end
        State s = run(model.initial(), new Mmap(1, claim(3)), new Write(1, Bytes.of("abc")));
        assertEquals('c', loadOutcome(s, 1, 1, 2).val());
        Outcome.Fault past = loadOutcome(s, 1, 1, 3);
        assertEquals(Ret.OK, past.ret());
        assertEquals(Bytes.ZERO, past.val());
    }

    @Test
    void loadBeforeEofBlocksEvenWhenThePageCanNeverFill() {
        // no EOF yet: a partly committed page blocks rather than zero-filling
        State s = run(model.initial(), new Mmap(1, claim(2)), new Write(1, Bytes.of("a")), new Load(1, 1, 0));
        assertEquals(Ret.BLOCK, s.last().ret());
    }

    @Test
    void readReturnsTheBytesAfterTheClaimedRange() {
        // "read() after a claim returns bytes after the claimed range"
        State s = run(model.initial(), new Mmap(1, claim(2)), new Write(1, Bytes.of("abc")), new Read(1, 4));
        Outcome.Read read = (Outcome.Read) s.last();
        assertEquals(2, read.pos());
        assertEquals(Bytes.of("c"), read.val());
        // and the claimed bytes are still there for the mapping: nothing lost
        assertEquals(A, loadOutcome(s, 1, 1, 0).val());
        assertEquals(B, loadOutcome(s, 1, 1, 1).val());
    }

    @Test
    void readBlocksWhileOnlyClaimedBytesAreCommitted() {
        // "it blocks while the claimed bytes have not all been committed (or returns 0 at EOF)"
        State s = run(model.initial(), new Mmap(1, claim(2)), new Write(1, Bytes.of("ab")));
        Outcome.Poll poll = (Outcome.Poll) run(s, new Action.Poll(1)).last();
        assertFalse(poll.readable());
        assertEquals(0, poll.nread());
        assertEquals(Ret.BLOCK, run(s, new Read(1, 1)).last().ret());
    }

    @Test
    void windowCommitIsASnapshot() {
        // "The stream receives a snapshot: later stores to committed bytes do not change S."
        State s = run(model.initial(), new Mmap(1, window(2)), new StoreWindow(1, 1, 0, A), new Msync(1, 1, 1),
                new StoreWindow(1, 1, 0, B));
        assertEquals(Bytes.of("a"), s.stream());
        // "n <= c is a no-op"
        s = run(s, new Msync(1, 1, 1));
        assertEquals(Ret.OK, s.last().ret());
        assertEquals(Bytes.of("a"), s.stream());
        assertEquals(Bytes.of("a"), ((Outcome.Read) run(s, new Read(1, 2)).last()).val());
        // the rest of the window, zero until stored: "a write window of len bytes, initially zero"
        s = run(s, new Msync(1, 1, 2));
        assertEquals(Bytes.of(new byte[] {'a', 0}), s.stream());
    }

    @Test
    void aWindowKeepsTheWriterAlive() {
        // "a write window keeps a writer alive (no EOF for readers) even after close()"
        State s = run(model.initial(), new Mmap(1, window(1)), new Close(1, End.W));
        assertFalse(s.eof());
        assertEquals(Ret.BLOCK, run(s, new Read(1, 1)).last().ret());
        // munmap of the window drops the last writer reference: EOF, read returns nothing
        s = run(s, new Action.Munmap(1, 1, 0, 1));
        assertTrue(s.eof());
        Outcome.Read eof = (Outcome.Read) run(s, new Read(1, 1)).last();
        assertEquals(Ret.OK, eof.ret());
        assertEquals(Bytes.EMPTY, eof.val());
    }

    @Test
    void writerBlocksUntilASlotIsFree() {
        // C = 4, P = 2: two page slots. "A writer blocks while the buffer holds C bytes ...
        // exactly as for a plain pipe": Linux frees room a slot at a time, so one byte read from
        // a full ring is not room yet
        State s = run(model.initial(), new Fork(1), new Write(1, Bytes.of("abca")), new Write(1, Bytes.of("bc")));
        Outcome.Write w = (Outcome.Write) s.last();
        assertEquals(Ret.BLOCK, w.ret());
        assertEquals(0, w.val());
        s = run(s, new Read(2, 1));
        assertFalse(model.canWake(s, 1));
        s = run(s, new Read(2, 1), new Wake(1));
        assertEquals(Ret.OK, s.last().ret());
        assertEquals(Bytes.of("abcabc"), s.stream());
        assertEquals(List.of(new Slot(2, 2), new Slot(2, 2)), s.slots());
    }

    @Test
    void aShortWriteMergesIntoTheLastSlotOnlyBehindWhatWasPutThere() {
        // pipe_write(): a partial page goes into the last buffer when offset + len + chars fits
        State s = run(model.initial(), new Write(1, Bytes.of("a")), new Write(1, Bytes.of("b")));
        assertEquals(List.of(new Slot(2, 2)), s.slots());
        s = run(s, new Read(1, 1), new Write(1, Bytes.of("c")));
        assertEquals(List.of(new Slot(2, 1), new Slot(1, 1)), s.slots()); // no merge into a read slot
        s = run(s, new Write(1, Bytes.of("abc")));
        // three bytes: the partial page (one byte) merges, then one new slot; the ring is full
        assertEquals(Ret.BLOCK, s.last().ret());
        assertEquals(1, ((Outcome.Write) s.last()).val());
        assertEquals(List.of(new Slot(2, 1), new Slot(2, 2)), s.slots());
    }

    @Test
    void aLoadPullsItsPageAndEveryCompleteLaterPageOfItsClaimAndMakesRoomForTheWriter() {
        // "A writer blocks while the buffer holds C bytes not yet pulled"; "bytes leave the buffer
        // ... when a load makes their page resident": the load makes resident every complete page
        // of its claim (spec LoadHi), so both pages leave at once
        State s = run(model.initial(), new Mmap(1, claim(4)), new Fork(1), new Write(1, Bytes.of("abca")),
                new Write(1, Bytes.of("b")));
        assertEquals(Ret.BLOCK, s.last().ret());
        s = run(s, new Load(2, 1, 1));
        assertEquals(B, ((Outcome.Fault) s.last()).val());
        assertEquals(4, s.u());
        assertTrue(model.canWake(s, 1));
        s = run(s, new Wake(1));
        assertEquals(Ret.OK, s.last().ret());
        assertEquals(Bytes.of("abcab"), s.stream());
    }

    @Test
    void aLoadLeavesAnIncompletePageAndAPulledPageLeavesEverything() {
        // page 1 of the claim is not complete: the load of page 0 pulls page 0 only
        State s = run(model.initial(), new Mmap(1, claim(4)), new Write(1, Bytes.of("abc")));
        s = run(s, new Load(1, 1, 0));
        assertEquals(2, s.u());
        // page 1 completes; a load of page 0, already pulled, pulls nothing (the kernel maps
        // such a page without a fault, where it could not pull)
        s = run(s, new Write(1, Bytes.of("a")), new Load(1, 1, 1));
        assertEquals(2, s.u());
        // a load of page 1 pulls it
        s = run(s, new Load(1, 1, 2));
        assertEquals(4, s.u());
    }

    @Test
    void badMmapArgumentsAreRefused() {
        State s = model.initial();
        // "offset != 0 -> EINVAL; len == 0 -> EINVAL; PROT_WRITE with MAP_SHARED -> EACCES"
        assertEquals(Ret.EINVAL, run(s, new Mmap(1, new MmapTry(End.R, Prot.R, Flags.SHARED, 1, 2, Ret.EINVAL)))
                .last().ret());
        assertEquals(Ret.EINVAL, run(s, new Mmap(1, new MmapTry(End.R, Prot.R, Flags.SHARED, 0, 0, Ret.EINVAL)))
                .last().ret());
        assertEquals(Ret.EACCES, run(s, new Mmap(1, new MmapTry(End.R, Prot.RW, Flags.SHARED, 1, 0, Ret.EACCES)))
                .last().ret());
        // "MAP_PRIVATE on a write end -> EINVAL"
        assertEquals(Ret.EINVAL, run(s, new Mmap(1, new MmapTry(End.W, Prot.RW, Flags.PRIVATE, 1, 0, Ret.EINVAL)))
                .last().ret());
        // a claim moves the read cursor at once: "R += len at once"
        assertEquals(3, run(s, new Mmap(1, claim(3))).r());
    }

    @Test
    void configIsReadFromTheCfgFile() {
        Config c = Config.parse("""
                \\* a comment
                SPECIFICATION Spec
                CONSTANTS
                    NProcs = 2
                    P = 2
                    C = 2
                    MaxLen = 3
                    MaxIO = 1
                    MaxW = 2
                    MaxObjs = 1
                    Alpha = {"a", "b"}
                    Ops = {"read", "write",
                           "mmap"}
                    WakeAtOnce = FALSE
                INVARIANTS TypeOK
                CHECK_DEADLOCK FALSE
                """);
        assertEquals(new Config(2, 2, 2, 3, 1, 2, 1, List.of((byte) 'a', (byte) 'b'), Set.of("read", "write", "mmap"),
                false), c);
    }
}
