package org.extmmap.model.tla;

/** A labelled edge between two states of a {@link StateGraph}, by state index. */
public record Edge(int from, String label, int to) {
}
