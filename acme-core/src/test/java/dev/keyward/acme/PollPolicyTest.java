package dev.keyward.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How long Keyward waits between polls (RFC 8555 section 7.5.1) and when it gives up. */
class PollPolicyTest {
    @Test
    void theDefaultsAreFiftyMillisDoublingUpToFiveSecondsForTwoMinutes() {
        PollPolicy defaults = PollPolicy.defaults();

        assertThat(defaults.initialDelay()).isEqualTo(Duration.ofMillis(50));
        assertThat(defaults.finalizeDelay()).isEqualTo(Duration.ofMillis(50));
        assertThat(defaults.multiplier()).isEqualTo(2.0);
        assertThat(defaults.maxDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.timeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(PollPolicy.builder().build().toString()).isEqualTo(defaults.toString());
    }

    @Test
    void theBackoffGrowsByTheMultiplierUpToMaxDelay() {
        PollPolicy policy = PollPolicy.defaults();
        Duration wait = policy.initialDelay();
        StringBuilder waits = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            waits.append(wait.toMillis()).append(' ');
            wait = policy.next(wait);
        }

        assertThat(waits.toString().trim()).isEqualTo("50 100 200 400 800 1600 3200 5000 5000 5000");
    }

    @Test
    void aFractionalMultiplierGrowsTheBackoffToo() {
        PollPolicy policy = PollPolicy.builder().initialDelay(Duration.ofMillis(100)).multiplier(1.5).build();

        assertThat(policy.next(Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(150));
        assertThat(policy.next(Duration.ofMillis(150))).isEqualTo(Duration.ofMillis(225));
    }

    @Test
    void aMultiplierOfOneKeepsTheWaitConstant() {
        PollPolicy policy = PollPolicy.builder().initialDelay(Duration.ofSeconds(1)).multiplier(1).build();

        assertThat(policy.next(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aZeroInitialDelayStillGrows() {
        PollPolicy policy = PollPolicy.builder().initialDelay(Duration.ZERO).build();

        assertThat(policy.next(Duration.ZERO)).isPositive();
    }

    @Test
    void toBuilderStartsFromThePolicy() {
        PollPolicy custom = PollPolicy.builder().initialDelay(Duration.ofSeconds(1)).multiplier(3)
                .maxDelay(Duration.ofSeconds(30)).timeout(Duration.ofMinutes(10)).build();

        PollPolicy copy = custom.toBuilder().timeout(Duration.ofMinutes(20)).build();

        assertThat(copy.initialDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(copy.multiplier()).isEqualTo(3.0);
        assertThat(copy.maxDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(copy.timeout()).isEqualTo(Duration.ofMinutes(20));
        assertThat(custom.timeout()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void theBuilderRefusesNegativeAndZeroDurations() {
        PollPolicy.Builder builder = PollPolicy.builder();

        assertThatThrownBy(() -> builder.initialDelay(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.maxDelay(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.maxDelay(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.timeout(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theBuilderRefusesAMultiplierBelowOneOrNotFinite() {
        PollPolicy.Builder builder = PollPolicy.builder();

        assertThatThrownBy(() -> builder.multiplier(0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.multiplier(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.multiplier(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theInitialDelayMayNotExceedMaxDelay() {
        PollPolicy.Builder builder = PollPolicy.builder().initialDelay(Duration.ofSeconds(10)).maxDelay(Duration.ofSeconds(5));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxDelay");
    }

    @Test
    void theFinalizeDelayIsCopiedAndChecked() {
        PollPolicy custom = PollPolicy.builder().finalizeDelay(Duration.ofMillis(300)).build();

        assertThat(custom.toBuilder().build().finalizeDelay()).isEqualTo(Duration.ofMillis(300));
        assertThat(custom.toString()).contains("finalizeDelay=PT0.3S");
        assertThat(PollPolicy.builder().finalizeDelay(Duration.ZERO).build().finalizeDelay()).isZero();
        assertThatThrownBy(() -> PollPolicy.builder().finalizeDelay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finalizeDelay");
        assertThatThrownBy(() -> PollPolicy.builder().finalizeDelay(Duration.ofSeconds(6)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("finalizeDelay must not exceed maxDelay");
    }
}
