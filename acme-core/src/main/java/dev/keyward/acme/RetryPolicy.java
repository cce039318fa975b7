package dev.keyward.acme;

import java.time.Duration;
import java.util.Objects;

/**
 * What Keyward retries by itself, besides {@code badNonce} (RFC 8555 section 6.5), which is always
 * retried. Immutable.
 *
 * <ul>
 *   <li>Safe requests (the directory GET, {@code HEAD newNonce}, every POST-as-GET fetch and poll,
 *       section 6.3) are retried after a network failure (reset, refused connection, timeout, a
 *       reply that is not HTTP) or an HTTP 500, 502, 503 or 504 without {@code Retry-After}, at
 *       most {@link Builder#maxRetries maxRetries} times (default 3), waiting
 *       {@link Builder#initialBackoff initialBackoff} (default 250 ms) and doubling. A TLS failure
 *       that repeating cannot mend ({@link AcmeTlsException}: an untrusted certificate) is never
 *       retried.</li>
 *   <li>Requests that create or change state (newAccount, newOrder, finalize, a challenge
 *       response, revocation, key change, deactivation) are retried only when the failure shows
 *       the request never reached the server (a refused connection, an unknown host, a failed TLS
 *       handshake). Otherwise the {@link AcmeNetworkException} says whether it
 *       {@linkplain AcmeNetworkException#mayHaveTakenEffect() may have taken effect}, so the
 *       caller can look the resource up again.</li>
 *   <li>{@code rateLimited} (HTTP 429) and HTTP 503 with {@code Retry-After} are not retried by
 *       default; with {@link Builder#maxRetryAfter maxRetryAfter} above zero, a request whose
 *       {@code Retry-After} is at most that far away is retried once it has passed (within the
 *       same retry count).</li>
 * </ul>
 */
public final class RetryPolicy {
    private static final RetryPolicy DEFAULTS = new Builder().build();
    private static final RetryPolicy NONE = new Builder().maxRetries(0).build();

    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxRetryAfter;

    private RetryPolicy(Builder b) {
        this.maxRetries = b.maxRetries;
        this.initialBackoff = b.initialBackoff;
        this.maxRetryAfter = b.maxRetryAfter;
    }

    /** @return the defaults: 3 retries of safe requests from 250 ms, no waiting for {@code Retry-After} */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** @return a policy that retries nothing but {@code badNonce} */
    public static RetryPolicy none() {
        return NONE;
    }

    /** @return a builder from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return how often one request is retried after a failure */
    public int maxRetries() {
        return maxRetries;
    }

    /** @return the wait before the first retry; it doubles for each further one */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** @return the longest {@code Retry-After} that is waited for; zero means never */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    Duration backoff(int retry) {
        long factor = 1L << Math.min(retry - 1, 16);
        return initialBackoff.multipliedBy(factor);
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxRetries=" + maxRetries + ", initialBackoff=" + initialBackoff
                + ", maxRetryAfter=" + maxRetryAfter + "}";
    }

    /** Builds a {@link RetryPolicy}; each setter validates at once. */
    public static final class Builder {
        private int maxRetries = 3;
        private Duration initialBackoff = Duration.ofMillis(250);
        private Duration maxRetryAfter = Duration.ZERO;

        private Builder() {
        }

        /**
         * How often one request is retried (default 3).
         *
         * @param retries 0 to 10
         * @return this builder
         */
        public Builder maxRetries(int retries) {
            if (retries < 0 || retries > 10) {
                throw new IllegalArgumentException("maxRetries must be between 0 and 10");
            }
            this.maxRetries = retries;
            return this;
        }

        /**
         * The wait before the first retry (default 250 ms), doubled for each further one.
         *
         * @param backoff zero or positive, at most one minute
         * @return this builder
         */
        public Builder initialBackoff(Duration backoff) {
            Objects.requireNonNull(backoff, "backoff");
            if (backoff.isNegative() || backoff.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("initialBackoff must be between 0 and 1 minute");
            }
            this.initialBackoff = backoff;
            return this;
        }

        /**
         * Waits for a {@code Retry-After} of a 429 or 503 answer when it is at most this far
         * away (default zero: never; the exception carries the instant instead).
         *
         * @param limit zero or positive, at most one hour
         * @return this builder
         */
        public Builder maxRetryAfter(Duration limit) {
            Objects.requireNonNull(limit, "limit");
            if (limit.isNegative() || limit.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("maxRetryAfter must be between 0 and 1 hour");
            }
            this.maxRetryAfter = limit;
            return this;
        }

        /** @return the policy */
        public RetryPolicy build() {
            return new RetryPolicy(this);
        }
    }
}
