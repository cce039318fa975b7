package dev.keyward.acme;

import java.time.Instant;

/**
 * The certificate was revoked already ({@code urn:ietf:params:acme:error:alreadyRevoked}, RFC 8555
 * section 7.6). A caller that wants the certificate revoked may treat this as success.
 */
public class AcmeAlreadyRevokedException extends AcmeServerException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param problem the server's problem document
     * @param retryAfter the instant from {@code Retry-After}, or {@code null}
     */
    public AcmeAlreadyRevokedException(Problem problem, Instant retryAfter) {
        super(problem, retryAfter);
    }
}
