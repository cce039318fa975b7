package dev.keyward.acme.internal;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/** Parses {@code Retry-After} (RFC 9110 section 10.2.3; RFC 8555 sections 6.6 and 7.5.1). */
public final class RetryAfter {
    /** Longer delays than this are taken as this: one day. */
    static final Duration MAX = Duration.ofDays(1);

    /** IMF-fixdate (RFC 1123) and ANSI C's asctime form, GMT; RFC 850 dates are parsed apart. */
    private static final DateTimeFormatter[] HTTP_DATES = {
        DateTimeFormatter.RFC_1123_DATE_TIME,
        DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", java.util.Locale.US).withZone(java.time.ZoneOffset.UTC),
    };

    private static final java.util.regex.Pattern RFC_850 = java.util.regex.Pattern.compile(
            "[A-Za-z]+, (\\d{2})-([A-Za-z]{3})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2}) GMT");
    private static final List<String> MONTHS =
            List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");

    private RetryAfter() {
    }

    /**
     * The obsolete RFC 850 form, {@code Sunday, 06-Nov-94 08:49:37 GMT}. Its two-digit year is the
     * nearest that is at most 50 years ahead (RFC 9110 section 5.6.7); the weekday is not checked.
     */
    private static Instant rfc850(String value, Instant now) {
        java.util.regex.Matcher m = RFC_850.matcher(value);
        if (!m.matches()) {
            return null;
        }
        int month = MONTHS.indexOf(m.group(2).toLowerCase(java.util.Locale.ROOT)) + 1;
        if (month == 0) {
            return null;
        }
        int thisYear = now.atZone(java.time.ZoneOffset.UTC).getYear();
        int year = thisYear - Math.floorMod(thisYear, 100) + Integer.parseInt(m.group(3));
        if (year > thisYear + 50) {
            year -= 100;
        }
        try {
            return java.time.LocalDateTime.of(year, month, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6))).toInstant(java.time.ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
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
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            String digits = v.replaceFirst("^0+(?=.)", "");
            if (digits.length() > 9) {
                return Optional.of(now.plus(MAX));
            }
            return Optional.of(now.plusSeconds(Math.min(Long.parseLong(digits), MAX.getSeconds())));
        }
        Instant rfc850 = rfc850(v, now);
        if (rfc850 != null) {
            Instant cap = now.plus(MAX);
            return Optional.of(rfc850.isAfter(cap) ? cap : rfc850);
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
