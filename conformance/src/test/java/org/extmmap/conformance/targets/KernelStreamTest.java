package org.extmmap.conformance.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Where a read()'s bytes sit in the stream ({@link KernelStream#locate}) at the walks' sizes, where
 * a run is a single real byte: two reads woken together, judged in the other order than the
 * kernel's, must each be found at the positions the kernel gave them, never at an earlier free
 * position whose lone byte happens to match.
 */
class KernelStreamTest {
    private static final int LETTERS = 400;

    private static KernelStream streamOf(int n) {
        KernelStream s = new KernelStream(ExtMmapWalkProperties.WHOLE, new DataPattern(7));
        for (int j = 0; j < n; j++) {
            s.book.append('a' + j % 3, StreamBook.writeKey(j));
        }
        return s;
    }

    private static byte[] bytes(KernelStream s, int from, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int j = from; j < from + n; j++) {
            out.writeBytes(s.pattern.run(s.book.letter(j), s.book.key(j), s.run));
        }
        return out.toByteArray();
    }

    @Test
    void aReadJudgedBeforeTheOneTheKernelServedFirstIsFoundWhereItsBytesAre() {
        KernelStream s = streamOf(LETTERS);
        assertEquals(1, s.run, "the walks' runs are single bytes");
        // the kernel gave the first reader positions 0..199 and the second 200..399; the driver
        // judges the second first: its bytes are not at the read cursor
        assertEquals(200, s.locate(bytes(s, 200, 200), 200));
        s.take(200, 200);
        s.readCursor = 400;
        assertEquals(0, s.locate(bytes(s, 0, 200), 200));
    }

    @Test
    void bytesOfNoFreePositionAreFoundNowhere() {
        KernelStream s = streamOf(LETTERS);
        s.take(0, 100);
        s.readCursor = 100;
        assertEquals(-1, s.locate(bytes(s, 50, 20), 20), "bytes a read already returned, handed out again");
        assertEquals(100, s.locate(bytes(s, 100, 20), 20));
    }
}
