package org.extmmap.conformance.targets;

import java.time.Duration;

/**
 * How long the harness waits, from one setting: {@code -Dextmmap.timeScale=N} multiplies every
 * wait (the emulated guest runs far slower than the host).
 *
 * @param grace how long a call must stay incomplete to count as blocked
 * @param settle shorter: how long a call must sleep in a pipe wait, seen in /proc, to count as
 *     blocked (see {@link org.extmmap.conformance.sys.Syscalls#pipeWaiting}); a call the kernel
 *     does not show there gets the full grace
 * @param complete how long a call the spec says completes may take
 */
public record Timeouts(Duration grace, Duration settle, Duration complete) {
    public static Timeouts fromSystemProperties() {
        double scale = Double.parseDouble(System.getProperty("extmmap.timeScale", "1"));
        if (!(scale > 0)) {
            throw new IllegalArgumentException("extmmap.timeScale must be positive: " + scale);
        }
        return new Timeouts(Duration.ofMillis((long) (300 * scale)), Duration.ofMillis((long) (40 * scale)),
                Duration.ofMillis((long) (10_000 * scale)));
    }
}
