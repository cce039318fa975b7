package dev.keyward.acme;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The one place where Keyward decides whether a failed request, or a failed step of the
 * issuance flow, is tried again and after how long (RFC 8555 sections 6.5 and 6.6, RFC 9110
 * section 10.2.3), driven by a {@link RetryPolicy} and the client's {@link AcmeClock}. Every
 * retry in the library asks here: {@link Session} for single requests, the issuance flow for its
 * steps. {@code badNonce} is not here: it is a fresh nonce, not a retry of a failure.
 */
final class Retries {
    private final RetryPolicy policy;
    private final AcmeClock clock;

    Retries(RetryPolicy policy, AcmeClock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    RetryPolicy policy() {
        return policy;
    }

    /**
     * Whether to repeat one request after {@code failure}, and after how long.
     *
     * @param failure what the request ended with
     * @param safe whether the request changes nothing on the server (GET, HEAD, POST-as-GET)
     * @param attempt the retry this would be: 1 for the first
     * @return the wait before the retry, or empty to give up
     */
    Optional<Duration> request(AcmeException failure, boolean safe, int attempt, boolean contacted) {
        // Before the CA ever answered, an unreachable address is a wrong URL or a CA that is down (as lego).
        if (!contacted && failure instanceof AcmeNetworkException && ((AcmeNetworkException) failure).isUnreachable()) {
            return Optional.empty();
        }
        return request(failure, safe, attempt);
    }

    Optional<Duration> request(AcmeException failure, boolean safe, int attempt) {
        return request(failure, failure instanceof AcmeServerException
                ? ((AcmeServerException) failure).problem().status().orElse(0) : 0, safe, attempt);
    }

    /**
     * As {@link #request(AcmeException, boolean, int)}, with the HTTP status code of the answer
     * (which a problem document may contradict; the status line wins).
     */
    Optional<Duration> request(AcmeException failure, int httpCode, boolean safe, int attempt) {
        if (attempt > policy.maxRetries()) {
            return Optional.empty();
        }
        if (failure instanceof AcmeNetworkException) {
            if (failure instanceof AcmeTlsException) {
                return Optional.empty();
            }
            boolean repeatable = safe || !((AcmeNetworkException) failure).mayHaveTakenEffect();
            return repeatable ? Optional.of(policy.backoff(attempt)) : Optional.empty();
        }
        if (failure instanceof AcmeServerException) {
            AcmeServerException refused = (AcmeServerException) failure;
            Optional<Duration> retryAfter = retryAfterWait(refused, httpCode);
            if (retryAfter.isPresent()) {
                return retryAfter;
            }
            if (safe && isTransientServerError(refused, httpCode)) {
                return Optional.of(policy.backoff(attempt));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a step of a flow that resumes from the server's state (it fetches before it acts
     * again) is run again after {@code failure}: any failure a request would repeat if it were
     * safe. A step is safe by construction, so an outcome the network left unknown is retried too.
     *
     * @param failure what the step ended with, after the request-level retries
     * @param attempt the retry this would be: 1 for the first
     * @return the wait before the next attempt, or empty to give up
     */
    Optional<Duration> step(AcmeException failure, int attempt) {
        if (attempt > MAX_STEP_RETRIES) {
            return Optional.empty();
        }
        if (failure instanceof AcmeTlsException) {
            return Optional.empty();
        }
        if (failure instanceof AcmeNetworkException) {
            return Optional.of(stepBackoff(attempt));
        }
        if (failure instanceof AcmeServerException) {
            AcmeServerException refused = (AcmeServerException) failure;
            int code = refused.problem().status().orElse(0);
            Optional<Duration> retryAfter = retryAfterWait(refused, code);
            if (retryAfter.isPresent()) {
                return retryAfter;
            }
            if (isTransientServerError(refused, code)) {
                return Optional.of(stepBackoff(attempt));
            }
        }
        return Optional.empty();
    }

    /** The most times one step of a flow is run again; the deadline usually ends it sooner. */
    static final int MAX_STEP_RETRIES = 12;

    private static final Duration MAX_STEP_BACKOFF = Duration.ofSeconds(4);

    private Duration stepBackoff(int attempt) {
        Duration wait = policy.backoff(attempt);
        return wait.compareTo(MAX_STEP_BACKOFF) > 0 ? MAX_STEP_BACKOFF : wait;
    }

    /**
     * The wait a {@code Retry-After} of a 429 ({@code rateLimited}, section 6.6) or 503 asks for,
     * when the policy allows waiting that long ({@link RetryPolicy#maxRetryAfter()}).
     */
    private Optional<Duration> retryAfterWait(AcmeServerException refused, int code) {
        Optional<Instant> at = refused.retryAfter();
        boolean rateLimited = refused instanceof AcmeRateLimitedException || code == 429;
        if (at.isEmpty() || !(rateLimited || code == 503) || policy.maxRetryAfter().isZero()) {
            return Optional.empty();
        }
        Duration wait = Duration.between(clock.now(), at.get());
        if (wait.isNegative()) {
            wait = Duration.ZERO;
        }
        return wait.compareTo(policy.maxRetryAfter()) <= 0 ? Optional.of(wait) : Optional.empty();
    }

    /** HTTP 500, 502, 504, or 503 without {@code Retry-After}: the server failed, not the request. */
    private static boolean isTransientServerError(AcmeServerException refused, int code) {
        return code == 500 || code == 502 || code == 504 || (code == 503 && refused.retryAfter().isEmpty());
    }

    /** Sleeps on the client's clock; an interruption ends the operation with a typed error. */
    void pause(Duration wait, String what) throws AcmeException {
        try {
            clock.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcmeException("interrupted while waiting to retry " + what, e);
        }
    }
}
