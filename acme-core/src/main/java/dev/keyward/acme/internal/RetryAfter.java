package dev.keyward.acme.internal;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** Parses {@code Retry-After} (RFC 9110 section 10.2.3; RFC 8555 sections 6.6 and 7.5.1). */
public final class RetryAfter {
    /** Longer delays than this are taken as this: one day. */
    static final Duration MAX = Duration.ofDays(1);

    private RetryAfter() {
    }

    /**
     * The instant a {@code Retry-After} value points at.
     *
     * @param value delay seconds or an HTTP date; {@code null} gives empty
     * @param now the current instant, for delay seconds
     * @return the instant, or empty when the value is absent or malformed
     */
    public static Optional<Instant> parse(String value, Instant now) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.chars().allMatch(Character::isDigit)) {
            if (v.length() > 9) {
                return Optional.of(now.plus(MAX));
            }
            return Optional.of(now.plusSeconds(Math.min(Long.parseLong(v), MAX.getSeconds())));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Instant cap = now.plus(MAX);
            return Optional.of(at.isAfter(cap) ? cap : at);
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
