package dev.keyward.acme.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * A certificate profile of Pebble 2.10: what the directory's {@code meta.profiles} says about it and
 * how long the certificates it issues are valid. An order names it in its {@code profile} member.
 *
 * @param description    the text the directory shows for the profile
 * @param validityPeriod the lifetime of its certificates, at least one second; sub-second parts are
 *                       dropped
 */
public record PebbleProfile(String description, Duration validityPeriod) {

    /**
     * Validates the description and the validity period.
     *
     * @param description    the text the directory shows for the profile
     * @param validityPeriod the lifetime of its certificates, at least one second
     * @throws NullPointerException     if either is null
     * @throws IllegalArgumentException if the validity period is shorter than one second
     */
    public PebbleProfile {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(validityPeriod, "validityPeriod");
        if (validityPeriod.toSeconds() < 1) {
            throw new IllegalArgumentException("a profile's validityPeriod must be at least 1 second: " + validityPeriod);
        }
    }
}
