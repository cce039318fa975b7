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

    /** IMF-fixdate (RFC 1123), the obsolete RFC 850 form, and ANSI C's asctime form, all GMT. */
    private static final DateTimeFormatter[] HTTP_DATES = {
        DateTimeFormatter.RFC_1123_DATE_TIME,
        DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss zzz", java.util.Locale.US),
        DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", java.util.Locale.US).withZone(java.time.ZoneOffset.UTC),
    };

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
        for (DateTimeFormatter format : HTTP_DATES) {
            try {
                Instant at = ZonedDateTime.parse(v, format).toInstant();
                Instant cap = now.plus(MAX);
                return Optional.of(at.isAfter(cap) ? cap : at);
            } catch (DateTimeException e) {
                // Try the next of the three forms RFC 9110 section 5.6.7 requires.
            }
        }
        return Optional.empty();
    }
}
