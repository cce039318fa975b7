package dev.keyward.acme;

import java.time.Instant;

/**
 * The server refused the request for a rate limit ({@code urn:ietf:params:acme:error:rateLimited},
 * RFC 8555 section 6.6). {@link #retryAfter()} says when the limit lifts, when the server said so.
 *
 * <p>Whether Keyward waits and repeats the request first is up to the client's {@link RetryPolicy}:
 * by default ({@link RetryPolicy#maxRetryAfter()} zero) never, so the first refusal is thrown.
 * With {@link RetryPolicy.Builder#maxRetryAfter maxRetryAfter} above zero, a refusal whose
 * {@code Retry-After} is at most that far away is waited for on the client's {@link AcmeClock}
 * and the request repeated, at most {@link RetryPolicy#maxRetries()} times; this exception is
 * thrown when the server sends no {@code Retry-After}, asks for a longer wait, or still refuses
 * after the last retry.
 */
public class AcmeRateLimitedException extends AcmeServerException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param problem the server's problem document
     * @param retryAfter the instant from {@code Retry-After}, or {@code null}
     */
    public AcmeRateLimitedException(Problem problem, Instant retryAfter) {
        super(problem, retryAfter);
    }
}
