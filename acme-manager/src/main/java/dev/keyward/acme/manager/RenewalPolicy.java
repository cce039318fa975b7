package dev.keyward.acme.manager;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * When to renew, when to retry and when to warn: the one place of the manager's timing, as pure
 * functions of the certificate, the CA's renewal window, the current instant and a
 * {@link Random} (no clock, no I/O), so every decision is tested without waiting. Immutable;
 * {@link #defaults()} or {@link #builder()}.
 *
 * <ul>
 *   <li>Renewal ({@link #renewalTime}): a certificate known to be revoked is renewed at once. With
 *       ACME Renewal Information (RFC 9773 section 4.2), at a uniformly random instant within the
 *       part of the suggested window that is not past, and at once when the whole window is past.
 *       Without it, when a third of the lifetime remains (half for certificates shorter than
 *       {@linkplain Builder#shortLivedBelow 10 days}), minus a uniformly random
 *       {@linkplain Builder#jitter jitter} of up to a twentieth of the lifetime (default).</li>
 *   <li>Retry after a failure ({@link #retryTime}): exponential backoff from
 *       {@linkplain Builder#initialBackoff 1 minute}, doubling per consecutive failure, capped at
 *       {@linkplain Builder#maxBackoff 6 hours} and at a tenth of the lifetime that remains, so
 *       several retries fit before expiry; a {@code Retry-After} of the CA (RFC 8555 section 6.6,
 *       {@code rateLimited}) is honoured even beyond the cap.</li>
 *   <li>Expiry warnings ({@link #expiryWarning}): once per threshold, at
 *       {@linkplain Builder#expiryWarnings 7 days, 3 days and 1 day} before expiry (default).</li>
 * </ul>
 */
public final class RenewalPolicy {
    /** The default lifetime under which a certificate is renewed at half of it: 10 days. */
    public static final Duration DEFAULT_SHORT_LIVED_BELOW = Duration.ofDays(10);
    /** The default jitter, as a share of the lifetime: 0.05 (a twentieth). */
    public static final double DEFAULT_JITTER = 0.05;
    /** The default first retry delay: 1 minute. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMinutes(1);
    /** The default cap of the retry delay: 6 hours. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofHours(6);
    /** The default expiry warning thresholds: 7 days, 3 days and 1 day before expiry. */
    public static final List<Duration> DEFAULT_EXPIRY_WARNINGS =
            List.of(Duration.ofDays(7), Duration.ofDays(3), Duration.ofDays(1));

    private static final RenewalPolicy DEFAULTS = builder().build();
    private static final Duration MIN_BACKOFF = Duration.ofSeconds(1);

    private final Duration shortLivedBelow;
    private final double jitter;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final List<Duration> expiryWarnings;

    private RenewalPolicy(Builder b) {
        this.shortLivedBelow = b.shortLivedBelow;
        this.jitter = b.jitter;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        List<Duration> sorted = new ArrayList<>(b.expiryWarnings);
        sorted.sort(Comparator.reverseOrder());
        this.expiryWarnings = List.copyOf(sorted);
    }

    /**
     * The policy with every default of the class description.
     *
     * @return the default policy
     */
    public static RenewalPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * A builder with the defaults.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this policy's values.
     *
     * @return a builder
     */
    public Builder newBuilder() {
        Builder b = new Builder();
        b.shortLivedBelow = shortLivedBelow;
        b.jitter = jitter;
        b.initialBackoff = initialBackoff;
        b.maxBackoff = maxBackoff;
        b.expiryWarnings = expiryWarnings;
        return b;
    }

    /** @return the expiry warning thresholds, largest first */
    public List<Duration> expiryWarnings() {
        return expiryWarnings;
    }

    /**
     * When to renew a certificate.
     *
     * @param certificate the current certificate
     * @param window the CA's renewal window (RFC 9773), or empty when the CA offers none
     * @param revoked whether the certificate is known to be revoked
     * @param now the current instant
     * @param random the source of jitter
     * @return the renewal time, never before {@code now}
     */
    public Instant renewalTime(X509Certificate certificate, Optional<RenewalWindow> window, boolean revoked,
            Instant now, Random random) {
        return renewalTime(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(), window,
                revoked, now, random);
    }

    /**
     * As {@link #renewalTime(X509Certificate, Optional, boolean, Instant, Random)}, from the
     * certificate's validity period.
     *
     * @param notBefore the start of validity
     * @param notAfter the end of validity
     * @param window the CA's renewal window, or empty
     * @param revoked whether the certificate is known to be revoked
     * @param now the current instant
     * @param random the source of jitter
     * @return the renewal time, never before {@code now}
     */
    public Instant renewalTime(Instant notBefore, Instant notAfter, Optional<RenewalWindow> window, boolean revoked,
            Instant now, Random random) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(random, "random");
        if (revoked) {
            return now;
        }
        if (window.isPresent()) {
            RenewalWindow w = window.get();
            if (!w.end().isAfter(now)) {
                return now;
            }
            Instant from = w.start().isAfter(now) ? w.start() : now;
            long span = Duration.between(from, w.end()).toMillis();
            return span <= 0 ? from : from.plusMillis((long) (random.nextDouble() * span));
        }
        Duration lifetime = Duration.between(notBefore, notAfter);
        if (lifetime.isNegative() || lifetime.isZero()) {
            return now;
        }
        long lifeMillis = lifetime.toMillis();
        long remainingAtRenewal = lifetime.compareTo(shortLivedBelow) < 0 ? lifeMillis / 2 : lifeMillis / 3;
        Instant base = notAfter.minusMillis(remainingAtRenewal);
        Instant jittered = base.minusMillis((long) (random.nextDouble() * jitter * lifeMillis));
        return jittered.isAfter(now) ? jittered : now;
    }

    /**
     * When to try again after {@code failures} consecutive failed issuances or renewals.
     *
     * @param failures how many attempts failed in a row, at least 1
     * @param notAfter the end of validity of the certificate still served, or empty when there is none
     * @param retryAfter the CA's {@code Retry-After} of the last failure ({@code rateLimited} and others), if any
     * @param now the current instant
     * @return the time of the next attempt, after {@code now}
     * @throws IllegalArgumentException if {@code failures} is below 1
     */
    public Instant retryTime(int failures, Optional<Instant> notAfter, Optional<Instant> retryAfter, Instant now) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1, was " + failures);
        }
        Duration delay = initialBackoff.multipliedBy(1L << Math.min(failures - 1, 30));
        if (delay.compareTo(maxBackoff) > 0 || delay.isNegative()) {
            delay = maxBackoff;
        }
        if (notAfter.isPresent()) {
            Duration tenth = Duration.between(now, notAfter.get()).dividedBy(10);
            if (delay.compareTo(tenth) > 0) {
                delay = tenth;
            }
        }
        if (delay.compareTo(MIN_BACKOFF) < 0) {
            delay = MIN_BACKOFF;
        }
        Instant next = now.plus(delay);
        if (retryAfter.isPresent() && retryAfter.get().isAfter(next)) {
            return retryAfter.get();
        }
        return next;
    }

    /**
     * The expiry warning due now, if any: the smallest threshold that the remaining lifetime has
     * reached and that is smaller than the last one warned of.
     *
     * @param notAfter the end of validity
     * @param now the current instant
     * @param lastWarned the threshold warned of last for this certificate, or empty
     * @return the threshold to warn of now, or empty
     */
    public Optional<Duration> expiryWarning(Instant notAfter, Instant now, Optional<Duration> lastWarned) {
        Duration remaining = Duration.between(now, notAfter);
        Duration due = null;
        for (Duration threshold : expiryWarnings) {
            if (remaining.compareTo(threshold) <= 0
                    && (lastWarned.isEmpty() || threshold.compareTo(lastWarned.get()) < 0)) {
                due = threshold;
            }
        }
        return Optional.ofNullable(due);
    }

    /**
     * When the next expiry warning falls due, for scheduling.
     *
     * @param notAfter the end of validity
     * @param now the current instant
     * @param lastWarned the threshold warned of last, or empty
     * @return the instant of the next threshold after {@code now}, or empty when none is left
     */
    public Optional<Instant> nextExpiryWarning(Instant notAfter, Instant now, Optional<Duration> lastWarned) {
        for (Duration threshold : expiryWarnings) {
            Instant at = notAfter.minus(threshold);
            if (at.isAfter(now) && (lastWarned.isEmpty() || threshold.compareTo(lastWarned.get()) < 0)) {
                return Optional.of(at);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "RenewalPolicy{shortLivedBelow=" + shortLivedBelow + ", jitter=" + jitter + ", backoff "
                + initialBackoff + ".." + maxBackoff + ", warnings " + expiryWarnings + "}";
    }

    /** Builds a {@link RenewalPolicy}; each setter checks its argument at once. */
    public static final class Builder {
        private Duration shortLivedBelow = DEFAULT_SHORT_LIVED_BELOW;
        private double jitter = DEFAULT_JITTER;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private List<Duration> expiryWarnings = DEFAULT_EXPIRY_WARNINGS;

        private Builder() {
        }

        /**
         * Certificates with a shorter lifetime are renewed when half of it remains instead of a
         * third (default {@link #DEFAULT_SHORT_LIVED_BELOW}, 10 days).
         *
         * @param lifetime positive
         * @return this builder
         */
        public Builder shortLivedBelow(Duration lifetime) {
            this.shortLivedBelow = positive(lifetime, "shortLivedBelow");
            return this;
        }

        /**
         * The largest jitter subtracted from the lifetime-based renewal time, as a share of the
         * lifetime (default {@link #DEFAULT_JITTER}, 0.05). Not applied to ARI windows, which are
         * already random.
         *
         * @param share from 0 to 0.25
         * @return this builder
         */
        public Builder jitter(double share) {
            if (!(share >= 0 && share <= 0.25)) {
                throw new IllegalArgumentException("jitter must be between 0 and 0.25, was " + share);
            }
            this.jitter = share;
            return this;
        }

        /**
         * The delay after the first failure (default {@link #DEFAULT_INITIAL_BACKOFF}, 1 minute).
         *
         * @param delay positive
         * @return this builder
         */
        public Builder initialBackoff(Duration delay) {
            this.initialBackoff = positive(delay, "initialBackoff");
            return this;
        }

        /**
         * The largest delay between retries (default {@link #DEFAULT_MAX_BACKOFF}, 6 hours); a
         * tenth of the remaining lifetime caps it further.
         *
         * @param delay positive
         * @return this builder
         */
        public Builder maxBackoff(Duration delay) {
            this.maxBackoff = positive(delay, "maxBackoff");
            return this;
        }

        /**
         * The thresholds before expiry at which {@link EventListener#expiryWarning} fires, once
         * each per certificate (default {@link #DEFAULT_EXPIRY_WARNINGS}: 7 days, 3 days, 1 day).
         *
         * @param thresholds positive durations; none turns the warnings off
         * @return this builder
         */
        public Builder expiryWarnings(Duration... thresholds) {
            List<Duration> list = new ArrayList<>();
            for (Duration threshold : thresholds) {
                list.add(positive(threshold, "expiry warning"));
            }
            this.expiryWarnings = List.copyOf(list);
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return the policy
         * @throws IllegalStateException if the initial backoff exceeds the maximum
         */
        public RenewalPolicy build() {
            if (initialBackoff.compareTo(maxBackoff) > 0) {
                throw new IllegalStateException("initialBackoff " + initialBackoff + " exceeds maxBackoff " + maxBackoff);
            }
            return new RenewalPolicy(this);
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
