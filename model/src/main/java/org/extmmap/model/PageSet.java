package org.extmmap.model;

import java.util.BitSet;
import java.util.stream.IntStream;

/** An immutable set of page numbers of one mapping: the pages a process still maps. */
public final class PageSet {
    public static final PageSet EMPTY = new PageSet(new BitSet());

    private final BitSet pages;

    private PageSet(BitSet owned) {
        this.pages = owned;
    }

    /** Pages lo..hi-1. */
    public static PageSet range(int lo, int hi) {
        BitSet b = new BitSet();
        if (hi > lo) {
            b.set(lo, hi);
        }
        return new PageSet(b);
    }

    public boolean contains(int page) {
        return page >= 0 && pages.get(page);
    }

    public boolean isEmpty() {
        return pages.isEmpty();
    }

    public IntStream stream() {
        return pages.stream();
    }

    public PageSet minus(PageSet other) {
        BitSet b = (BitSet) pages.clone();
        b.andNot(other.pages);
        return new PageSet(b);
    }

    public boolean intersects(PageSet other) {
        return pages.intersects(other.pages);
    }

    public boolean subsetOf(PageSet other) {
        BitSet b = (BitSet) pages.clone();
        b.andNot(other.pages);
        return b.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PageSet other && pages.equals(other.pages);
    }

    @Override
    public int hashCode() {
        return pages.hashCode();
    }

    @Override
    public String toString() {
        return pages.toString();
    }
}
