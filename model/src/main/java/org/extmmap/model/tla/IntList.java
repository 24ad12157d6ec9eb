package org.extmmap.model.tla;

import java.util.Arrays;

/** A growable list of ints, to keep millions of edges out of boxed collections. */
final class IntList {
    private int[] items = new int[1024];
    private int size;

    void add(int v) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size++] = v;
    }

    int get(int i) {
        return items[i];
    }

    int size() {
        return size;
    }

    int[] toArray() {
        return Arrays.copyOf(items, size);
    }
}
