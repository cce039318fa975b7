package dev.keyward.acme;

import java.time.Duration;
import java.util.Objects;

/**
 * How Keyward polls a pending authorization or a processing order (RFC 8555 section 7.5.1). The
 * first poll of an authorization goes out at once ({@link Authorization#awaitCompletion()}), or 5 ms
 * after the solver saw the validator look ({@link Account#issue}: a quick CA has the answer by
 * then), unless the server's last answer carried a {@code Retry-After} still in the future. When the server sends {@code Retry-After}, the next poll waits for it.
 * Otherwise the first poll of an order that finalize left {@code processing} waits
 * {@link Builder#finalizeDelay finalizeDelay} (default 50 ms: the CA is signing), the next poll
 * of an authorization or order waits {@link Builder#initialDelay initialDelay} (default 50 ms),
 * and each later wait grows by
 * {@link Builder#multiplier multiplier} (default 2) up to {@link Builder#maxDelay maxDelay}
 * (default 5 s). The whole wait ends at {@link Builder#timeout timeout} (default 2 minutes) with
 * {@link AcmeTimeoutException}. Immutable.
 */
public final class PollPolicy {
    private static final Duration MIN_GROWTH_BASE = Duration.ofMillis(10);
    private static final PollPolicy DEFAULTS = new Builder().build();

    private final Duration initialDelay;
    private final Duration finalizeDelay;
    private final double multiplier;
    private final Duration maxDelay;
    private final Duration timeout;

    private PollPolicy(Builder b) {
        this.initialDelay = b.initialDelay;
        this.finalizeDelay = b.finalizeDelay;
        this.multiplier = b.multiplier;
        this.maxDelay = b.maxDelay;
        this.timeout = b.timeout;
    }

    /**
     * The default policy: 50 ms before an order's first poll and between the first polls, doubling, capped at
     * 5 s, deadline 2 minutes.
     *
     * @return the defaults
     */
    public static PollPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from this policy.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        return new Builder().initialDelay(initialDelay).finalizeDelay(finalizeDelay).multiplier(multiplier).maxDelay(maxDelay).timeout(timeout);
    }

    /** @return the first wait between polls when the server gave no {@code Retry-After} (an authorization's first poll goes out at once or 5 ms after the validator looked) */
    public Duration initialDelay() {
        return initialDelay;
    }

    /** @return the wait before the first poll of an order that finalize left processing, without {@code Retry-After} */
    public Duration finalizeDelay() {
        return finalizeDelay;
    }

    /** @return the growth factor of the wait between polls */
    public double multiplier() {
        return multiplier;
    }

    /** @return the longest wait between polls without {@code Retry-After} */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** @return the overall deadline of one wait, from its start */
    public Duration timeout() {
        return timeout;
    }

    /**
     * The wait after {@code current} when the server gave no {@code Retry-After}.
     *
     * @param current the wait used last
     * @return the next wait
     */
    Duration next(Duration current) {
        double nanos = Math.max(current.toNanos(), MIN_GROWTH_BASE.toNanos()) * multiplier;
        return nanos >= maxDelay.toNanos() ? maxDelay : Duration.ofNanos((long) nanos);
    }

    @Override
    public String toString() {
        return "PollPolicy{initialDelay=" + initialDelay + ", finalizeDelay=" + finalizeDelay + ", multiplier=" + multiplier + ", maxDelay=" + maxDelay
                + ", timeout=" + timeout + "}";
    }

    /** Builds a {@link PollPolicy}; each setter validates at once. */
    public static final class Builder {
        private Duration initialDelay = Duration.ofMillis(50);
        private Duration finalizeDelay = Duration.ofMillis(50);
        private double multiplier = 2.0;
        private Duration maxDelay = Duration.ofSeconds(5);
        private Duration timeout = Duration.ofMinutes(2);

        private Builder() {
        }

        /**
         * The first wait between polls when the server gave no {@code Retry-After} (after an
         * authorization's first poll, which goes out almost at once, and after an order's first poll);
         * also the least wait after a {@code Retry-After} already past (default 50 ms).
         *
         * @param value zero or positive
         * @return this builder
         */
        public Builder initialDelay(Duration value) {
            this.initialDelay = nonNegative(value, "initialDelay");
            return this;
        }

        /**
         * The wait before the first poll of an order that finalize answered with
         * {@code processing} and no {@code Retry-After} (RFC 8555 section 7.4; default 50 ms).
         * The CA is signing the certificate then: a poll at once mostly finds it still processing,
         * and on Pebble (2.4 to 2.10) a poll that lands at the very moment the order is completed
         * can deadlock that order for good. Measured with {@code FinalizeDelayTrial} (16 threads,
         * 200 issuances per fresh Pebble, two busy threads beside them, a loaded 2-core machine):
         * at once stalled 5 of 15 Pebbles, 20 ms 2 of 15, 50 ms none of 15. A shorter delay suits
         * a CA without that fault (one issuance against an idle Pebble is then about 30 ms faster).
         *
         * @param value zero or positive
         * @return this builder
         */
        public Builder finalizeDelay(Duration value) {
            this.finalizeDelay = nonNegative(value, "finalizeDelay");
            return this;
        }

        /**
         * The growth factor between polls (default 2).
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder multiplier(double value) {
            if (!(value >= 1.0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("multiplier must be at least 1, was " + value);
            }
            this.multiplier = value;
            return this;
        }

        /**
         * The cap on the wait between polls (default 5 s).
         *
         * @param value positive
         * @return this builder
         */
        public Builder maxDelay(Duration value) {
            if (nonNegative(value, "maxDelay").isZero()) {
                throw new IllegalArgumentException("maxDelay must be positive");
            }
            this.maxDelay = value;
            return this;
        }

        /**
         * The deadline of one wait (default 2 minutes).
         *
         * @param value positive
         * @return this builder
         */
        public Builder timeout(Duration value) {
            if (nonNegative(value, "timeout").isZero()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            this.timeout = value;
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return the policy
         */
        public PollPolicy build() {
            if (initialDelay.compareTo(maxDelay) > 0) {
                throw new IllegalArgumentException("initialDelay must not exceed maxDelay");
            }
            if (finalizeDelay.compareTo(maxDelay) > 0) {
                throw new IllegalArgumentException("finalizeDelay must not exceed maxDelay");
            }
            return new PollPolicy(this);
        }

        private static Duration nonNegative(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative");
            }
            return value;
        }
    }
}
