package dev.keyward.acme;

import java.time.Instant;

/**
 * The server refused the request for a rate limit ({@code urn:ietf:params:acme:error:rateLimited},
 * RFC 8555 section 6.6). {@link #retryAfter()} says when the limit lifts, when the server said so.
 * Keyward never retries this by itself.
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
