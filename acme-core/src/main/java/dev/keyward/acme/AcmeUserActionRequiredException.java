package dev.keyward.acme;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * The server wants a person to act first ({@code urn:ietf:params:acme:error:userActionRequired},
 * RFC 8555 sections 6.7 and 7.3.3), typically to agree to changed terms of service. The problem's
 * {@code instance} URL is the page to visit; {@link #termsOfService()} is the new terms document
 * from the {@code Link: rel="terms-of-service"} header, when the server sent one.
 */
public class AcmeUserActionRequiredException extends AcmeServerException {
    private static final long serialVersionUID = 1L;

    /** The new terms of service, or {@code null}. */
    private final URI termsOfService;

    /**
     * Creates the exception.
     *
     * @param problem the server's problem document
     * @param retryAfter the instant from {@code Retry-After}, or {@code null}
     * @param termsOfService the new terms of service, or {@code null}
     */
    public AcmeUserActionRequiredException(Problem problem, Instant retryAfter, URI termsOfService) {
        super(problem, retryAfter);
        this.termsOfService = termsOfService;
    }

    /**
     * The page a person has to visit ({@code instance} of the problem document).
     *
     * @return the instance URL, or empty
     */
    public Optional<URI> instance() {
        return problem().instance();
    }

    /**
     * The new terms of service from the response's {@code Link} header.
     *
     * @return the terms URL, or empty
     */
    public Optional<URI> termsOfService() {
        return Optional.ofNullable(termsOfService);
    }
}
