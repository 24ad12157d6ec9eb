package org.extmmap.model;

/** An enabled step: the action and the state it leads to, whose {@code last} is the outcome. */
public record Step(Action action, State next) {
    public Outcome outcome() {
        return next.last();
    }

    public String label() {
        return action.label();
    }
}
