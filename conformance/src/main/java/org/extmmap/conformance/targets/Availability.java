package org.extmmap.conformance.targets;

/** Whether a target supports extended mmap, with what the probe saw. */
public record Availability(boolean available, String detail) {
    public static Availability yes(String detail) {
        return new Availability(true, detail);
    }

    public static Availability no(String detail) {
        return new Availability(false, detail);
    }
}
