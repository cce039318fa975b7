package dev.keyward.acme;

import java.time.Instant;

/**
 * The server refused the request as unauthorized ({@code urn:ietf:params:acme:error:unauthorized},
 * RFC 8555 section 6.7): for example, the account is deactivated or the key does not belong to it.
 */
public class AcmeUnauthorizedException extends AcmeServerException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param problem the server's problem document
     * @param retryAfter the instant from {@code Retry-After}, or {@code null}
     */
    public AcmeUnauthorizedException(Problem problem, Instant retryAfter) {
        super(problem, retryAfter);
    }
}
