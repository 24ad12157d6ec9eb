package org.extmmap.conformance.child;

/** What the child helper did after a command, as the parent observed it. */
public sealed interface Reply {
    /** A line the helper printed ("byte 97", "SIGBUS", "ok 3", "err 11", "signal 10"). */
    record Line(String text) implements Reply {
    }

    /** No reply within the wait: the call is blocked (or slower than the wait). */
    record Silent() implements Reply {
    }

    /** The helper died; {@code signal} is the signal that killed it, or 0 if it exited. */
    record Died(int exitCode, int signal) implements Reply {
    }
}
