package dev.keyward.acme.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RenewalPolicyTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final RenewalPolicy policy = RenewalPolicy.defaults();

    @Test
    void anAriWindowInTheFutureGivesATimeUniformlyWithinIt() {
        RenewalWindow window = RenewalWindow.of(NOW.plus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(12)), null, null);
        Random random = new Random(1);
        Instant min = Instant.MAX;
        Instant max = Instant.MIN;
        for (int i = 0; i < 2000; i++) {
            Instant at = policy.renewalTime(NOW.minus(Duration.ofDays(60)), NOW.plus(Duration.ofDays(30)),
                    Optional.of(window), false, NOW, random);
            assertThat(at).isBetween(window.start(), window.end());
            min = at.isBefore(min) ? at : min;
            max = at.isAfter(max) ? at : max;
        }
        assertThat(Duration.between(window.start(), min)).isLessThan(Duration.ofHours(1));
        assertThat(Duration.between(max, window.end())).isLessThan(Duration.ofHours(1));
    }

    @Test
    void anAriWindowThatHasBegunGivesATimeBetweenNowAndItsEnd() {
        RenewalWindow window = RenewalWindow.of(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofHours(2)), null, null);
        Instant at = policy.renewalTime(NOW.minus(Duration.ofDays(60)), NOW.plus(Duration.ofDays(30)),
                Optional.of(window), false, NOW, new Random(2));

        assertThat(at).isBetween(NOW, window.end());
    }

    @Test
    void anAriWindowInThePastMeansRenewNow() {
        RenewalWindow past = RenewalWindow.of(NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(2)), null, null);

        assertThat(policy.renewalTime(NOW.minus(Duration.ofDays(60)), NOW.plus(Duration.ofDays(30)),
                Optional.of(past), false, NOW, new Random(3))).isEqualTo(NOW);
    }

    @Test
    void aRevokedCertificateIsRenewedNowWhateverTheWindowSays() {
        RenewalWindow future = RenewalWindow.of(NOW.plus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(31)), null, null);

        assertThat(policy.renewalTime(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(89)),
                Optional.of(future), true, NOW, new Random(4))).isEqualTo(NOW);
    }

    @Test
    void withoutAriANinetyDayCertificateIsRenewedWhenAThirdRemainsMinusAtMostATwentiethOfItsLifetime() {
        Instant notBefore = NOW;
        Instant notAfter = NOW.plus(Duration.ofDays(90));
        Instant base = notAfter.minus(Duration.ofDays(30));
        Instant earliest = base.minus(Duration.ofDays(90).dividedBy(20));
        Random random = new Random(5);
        for (int i = 0; i < 1000; i++) {
            Instant at = policy.renewalTime(notBefore, notAfter, Optional.empty(), false, NOW, random);
            assertThat(at).isBetween(earliest, base);
        }
    }

    @Test
    void withoutAriASixDayCertificateIsRenewedWhenHalfRemains() {
        Instant notAfter = NOW.plus(Duration.ofDays(6));
        RenewalPolicy noJitter = RenewalPolicy.builder().jitter(0).build();

        assertThat(noJitter.renewalTime(NOW, notAfter, Optional.empty(), false, NOW, new Random(6)))
                .isEqualTo(NOW.plus(Duration.ofDays(3)));
        assertThat(noJitter.renewalTime(NOW, NOW.plus(Duration.ofDays(10)), Optional.empty(), false, NOW, new Random(6)))
                .as("10 days is not short-lived: a third").isEqualTo(NOW.plus(Duration.ofDays(10)).minus(Duration.ofDays(10).dividedBy(3)));
    }

    @Test
    void aCertificatePastItsRenewalPointIsRenewedNow() {
        assertThat(policy.renewalTime(NOW.minus(Duration.ofDays(80)), NOW.plus(Duration.ofDays(10)), Optional.empty(),
                false, NOW, new Random(7))).isEqualTo(NOW);
    }

    @Test
    void backoffDoublesFromOneMinuteAndIsCappedAtSixHours() {
        assertThat(policy.retryTime(1, Optional.empty(), Optional.empty(), NOW)).isEqualTo(NOW.plus(Duration.ofMinutes(1)));
        assertThat(policy.retryTime(2, Optional.empty(), Optional.empty(), NOW)).isEqualTo(NOW.plus(Duration.ofMinutes(2)));
        assertThat(policy.retryTime(5, Optional.empty(), Optional.empty(), NOW)).isEqualTo(NOW.plus(Duration.ofMinutes(16)));
        assertThat(policy.retryTime(40, Optional.empty(), Optional.empty(), NOW)).isEqualTo(NOW.plus(Duration.ofHours(6)));
    }

    @Test
    void backoffIsCappedAtATenthOfTheRemainingLifetime() {
        Optional<Instant> notAfter = Optional.of(NOW.plus(Duration.ofHours(10)));

        assertThat(policy.retryTime(30, notAfter, Optional.empty(), NOW)).isEqualTo(NOW.plus(Duration.ofHours(1)));
        assertThat(policy.retryTime(1, Optional.of(NOW.plus(Duration.ofSeconds(2))), Optional.empty(), NOW))
                .as("never sooner than a second").isEqualTo(NOW.plus(Duration.ofSeconds(1)));
    }

    @Test
    void aRateLimitsRetryAfterIsHonouredEvenBeyondTheCap() {
        Instant retryAfter = NOW.plus(Duration.ofHours(20));

        assertThat(policy.retryTime(1, Optional.of(NOW.plus(Duration.ofDays(30))), Optional.of(retryAfter), NOW))
                .isEqualTo(retryAfter);
        assertThat(policy.retryTime(3, Optional.empty(), Optional.of(NOW.plus(Duration.ofSeconds(5))), NOW))
                .as("an earlier Retry-After does not shorten the backoff").isEqualTo(NOW.plus(Duration.ofMinutes(4)));
    }

    @Test
    void expiryWarningsFireOncePerThresholdSmallestReachedFirst() {
        Instant notAfter = NOW.plus(Duration.ofDays(30));

        assertThat(policy.expiryWarning(notAfter, NOW, Optional.empty())).isEmpty();
        assertThat(policy.expiryWarning(notAfter, notAfter.minus(Duration.ofDays(6)), Optional.empty()))
                .contains(Duration.ofDays(7));
        assertThat(policy.expiryWarning(notAfter, notAfter.minus(Duration.ofDays(6)), Optional.of(Duration.ofDays(7))))
                .isEmpty();
        assertThat(policy.expiryWarning(notAfter, notAfter.minus(Duration.ofHours(12)), Optional.of(Duration.ofDays(7))))
                .as("a manager that slept through the 3-day mark warns of the 1-day one").contains(Duration.ofDays(1));
        assertThat(policy.nextExpiryWarning(notAfter, NOW, Optional.empty())).contains(notAfter.minus(Duration.ofDays(7)));
        assertThat(policy.nextExpiryWarning(notAfter, NOW, Optional.of(Duration.ofDays(7))))
                .contains(notAfter.minus(Duration.ofDays(3)));
        assertThat(policy.nextExpiryWarning(notAfter, NOW, Optional.of(Duration.ofDays(1)))).isEmpty();
    }

    @Test
    void thresholdsAreConfigurable() {
        RenewalPolicy custom = RenewalPolicy.builder().expiryWarnings(Duration.ofHours(1), Duration.ofHours(12)).build();

        assertThat(custom.expiryWarnings()).containsExactly(Duration.ofHours(12), Duration.ofHours(1));
        assertThat(RenewalPolicy.builder().expiryWarnings().build().expiryWarning(NOW, NOW, Optional.empty())).isEmpty();
    }

    @Test
    void buildersRefuseNonsense() {
        assertThatThrownBy(() -> RenewalPolicy.builder().jitter(0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RenewalPolicy.builder().maxBackoff(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RenewalPolicy.builder().initialBackoff(Duration.ofDays(1)).build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RenewalPolicy.defaults().retryTime(0, Optional.empty(), Optional.empty(), NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RenewalWindow.of(NOW, NOW, null, URI.create("https://x.test/")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAriWindowIsRecheckedAtTheCasRetryAfterElseSixHours() {
        RenewalWindow withRetry = RenewalWindow.of(NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(2)),
                NOW.plus(Duration.ofHours(2)), null);
        RenewalWindow without = RenewalWindow.of(NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(2)), null, null);

        assertThat(withRetry.nextCheck(NOW)).isEqualTo(NOW.plus(Duration.ofHours(2)));
        assertThat(without.nextCheck(NOW)).isEqualTo(NOW.plus(Duration.ofHours(6)));
    }
}
