package org.extmmap.model;

/**
 * One slot of the pipe's ring: a page into which {@code fill} bytes were put, of which the last
 * {@code len} are still there. Linux merges a write into the last slot only while {@code fill}
 * leaves room, so the slot remembers both.
 */
public record Slot(int fill, int len) {

    public Slot {
        if (len < 1 || len > fill) {
            throw new IllegalArgumentException("slot len " + len + " outside 1.." + fill);
        }
    }
}
