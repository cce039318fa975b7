package dev.keyward.acme.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code Retry-After} (RFC 9110 section 10.2.3) as delay seconds or an HTTP date, capped at one day. */
class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2015-10-21T07:20:00Z");

    @Test
    void delaySecondsCountFromNow() {
        assertThat(RetryAfter.parse("120", NOW)).contains(NOW.plusSeconds(120));
        assertThat(RetryAfter.parse(" 120 ", NOW)).contains(NOW.plusSeconds(120));
        assertThat(RetryAfter.parse("0", NOW)).contains(NOW);
    }

    @Test
    void anHttpDateIsThatInstant() {
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", NOW)).contains(Instant.parse("2015-10-21T07:28:00Z"));
    }

    @Test
    void anHttpDateInThePastIsKeptAsIs() {
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", NOW)).contains(Instant.parse("2015-10-21T07:00:00Z"));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "soon", "-5", "1.5", "12s", "0x10", "Wed, 32 Oct 2015 07:28:00 GMT",
            "2015-10-21T07:28:00Z"})
    void garbageGivesNoInstant(String value) {
        assertThat(RetryAfter.parse(value, NOW)).isEmpty();
    }

    @Test
    void hugeDelaysAreCappedAtOneDay() {
        assertThat(RetryAfter.parse("86400", NOW)).contains(NOW.plus(Duration.ofDays(1)));
        assertThat(RetryAfter.parse("86401", NOW)).contains(NOW.plus(Duration.ofDays(1)));
        assertThat(RetryAfter.parse("999999999", NOW)).contains(NOW.plus(Duration.ofDays(1)));
        assertThat(RetryAfter.parse("99999999999999999999999999", NOW)).contains(NOW.plus(Duration.ofDays(1)));
        assertThat(RetryAfter.MAX).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void aFarAwayHttpDateIsCappedAtOneDay() {
        assertThat(RetryAfter.parse("Fri, 01 Jan 2100 00:00:00 GMT", NOW)).contains(NOW.plus(Duration.ofDays(1)));
    }
}
