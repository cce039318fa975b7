package dev.keyward.acme.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.Month;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * {@code Retry-After} (RFC 9110 section 10.2.3): delay-seconds ({@code 1*DIGIT}) or an HTTP date
 * in any of the three forms of section 5.6.7. Any value gives no instant or one at most a day
 * away, never an exception; delays and dates written from generated values give back their
 * instant, capped at a day.
 */
class RetryAfterPropertyTest {
    private static final Duration DAY = Duration.ofDays(1);

    @Property(tries = 1000)
    void anyValueGivesNothingOrAnInstantAtMostADayAway(@ForAll("values") String value, @ForAll("nows") Instant now) {
        Optional<Instant> at = RetryAfter.parse(value, now);

        at.ifPresent(instant -> assertThat(instant).as(value).isBeforeOrEqualTo(now.plus(DAY)));
    }

    @Property(tries = 1000)
    void delaySecondsCountFromNowCappedAtADay(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seconds,
            @ForAll @IntRange(min = 0, max = 12) int leadingZeros, @ForAll("spaces") String space,
            @ForAll("nows") Instant now) {
        String value = space + "0".repeat(leadingZeros) + seconds + space;

        assertThat(RetryAfter.parse(value, now)).as(value).contains(now.plus(Duration.ofSeconds(Math.min(seconds,
                DAY.getSeconds()))));
    }

    @Property(tries = 1000)
    void anHttpDateInEachOfTheThreeFormsIsThatInstantCappedAtADay(@ForAll("nows") Instant now,
            @ForAll @LongRange(min = -3 * 86400, max = 3 * 86400) long offsetSeconds,
            @ForAll @IntRange(min = 0, max = 2) int form) {
        ZonedDateTime at = now.plusSeconds(offsetSeconds).atZone(ZoneOffset.UTC);
        String value = format(at, form);

        Instant expected = at.toInstant().isAfter(now.plus(DAY)) ? now.plus(DAY) : at.toInstant();
        assertThat(RetryAfter.parse(value, now)).as(value).contains(expected);
    }

    /**
     * RFC 9110 section 5.6.7: a two-digit year that would put the date more than 50 years ahead
     * is the most recent such year in the past. So a date up to 49 years back, written in the
     * RFC 850 form, is that past date (a past {@code Retry-After} means "now"), never one in the
     * next century that the client would wait a day for.
     */
    @Property(tries = 200)
    void aTwoDigitYearIsNeverMoreThanFiftyYearsAhead(@ForAll("nows") Instant now,
            @ForAll @IntRange(min = 1, max = 49) int yearsAgo) {
        ZonedDateTime at = now.atZone(ZoneOffset.UTC).minusYears(yearsAgo);

        assertThat(RetryAfter.parse(format(at, 1), now)).as(format(at, 1)).contains(at.toInstant());
    }

    /** {@code DIGIT} is ASCII (RFC 5234 appendix B.1): other scripts' digits are no delay. */
    @Property(tries = 200)
    void digitsOfOtherScriptsAreNoDelay(@ForAll("foreignDigits") String value, @ForAll("nows") Instant now) {
        assertThat(RetryAfter.parse(value, now)).as(value).isEmpty();
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().numeric().withChars(" +-.,:eE").ofMaxLength(40),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40),
                Arbitraries.of("Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                        "Sun Nov  6 08:49:37 1994", "Sun, 06 Nov 1994 08:49:37 PST", "Mon, 06 Nov 1994 08:49:37 GMT",
                        "Sun, 06 Nov 99999 08:49:37 GMT", "Sun, 06 Nov -1 08:49:37 GMT",
                        "Sat, 31 Dec 9999 23:59:59 GMT"));
    }

    @Provide
    Arbitrary<Instant> nows() {
        return Arbitraries.longs().between(947_030_400L, 3_124_137_600L).map(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<String> spaces() {
        return Arbitraries.of("", " ", "\t", "  ");
    }

    @Provide
    Arbitrary<String> foreignDigits() {
        char[] zeros = {'\u0660', '\u06f0', '\u0966', '\u09e6', '\u0e50', '\uff10'};
        return Arbitraries.of(zeros).flatMap(zero -> Arbitraries.integers().between(0, 9).list().ofMinSize(1)
                .ofMaxSize(6).map(digits -> {
                    StringBuilder value = new StringBuilder();
                    digits.forEach(d -> value.append((char) (zero + d)));
                    return value.toString();
                }));
    }

    /**
     * The date written by hand, not by the formatters under test: IMF-fixdate, the obsolete RFC 850
     * form with a two-digit year, or the asctime form with a space-padded day.
     */
    private static String format(ZonedDateTime t, int form) {
        String day = t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US);
        String fullDay = dayName(t.getDayOfWeek());
        String month = monthName(t.getMonth());
        String time = String.format(Locale.ROOT, "%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
        switch (form) {
            case 0:
                return String.format(Locale.ROOT, "%s, %02d %s %04d %s GMT", day, t.getDayOfMonth(), month,
                        t.getYear(), time);
            case 1:
                return String.format(Locale.ROOT, "%s, %02d-%s-%02d %s GMT", fullDay, t.getDayOfMonth(), month,
                        t.getYear() % 100, time);
            default:
                return String.format(Locale.ROOT, "%s %s %2d %s %04d", day, month, t.getDayOfMonth(), time,
                        t.getYear());
        }
    }

    private static String dayName(DayOfWeek day) {
        String[] names = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
        return names[day.getValue() - 1];
    }

    private static String monthName(Month month) {
        String[] names = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        return names[month.getValue() - 1];
    }
}
