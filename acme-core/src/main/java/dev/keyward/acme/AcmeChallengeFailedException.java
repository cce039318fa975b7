package dev.keyward.acme;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * The CA could not validate a challenge and the authorization became {@code invalid} (RFC 8555
 * sections 7.1.4, 7.5.1 and 8): names the identifier, the challenge type and carries the CA's
 * problem document (section 6.7) with its subproblems.
 */
public class AcmeChallengeFailedException extends AcmeServerException {
    private static final long serialVersionUID = 1L;

    private final Identifier identifier;
    private final String challengeType;
    private final URI authorizationUrl;

    /**
     * Creates the exception.
     *
     * @param identifier the identifier whose authorization failed
     * @param challengeType the type of the challenge that was answered, for example {@code http-01}
     * @param authorizationUrl the authorization's URL
     * @param problem the CA's problem document
     * @param retryAfter the {@code Retry-After} instant, or {@code null}
     */
    public AcmeChallengeFailedException(Identifier identifier, String challengeType, URI authorizationUrl,
                                        Problem problem, Instant retryAfter) {
        super(problem, retryAfter, identifier.value() + " (" + challengeType + ")");
        this.identifier = Objects.requireNonNull(identifier, "identifier");
        this.challengeType = Objects.requireNonNull(challengeType, "challengeType");
        this.authorizationUrl = Objects.requireNonNull(authorizationUrl, "authorizationUrl");
    }

    /** @return the identifier whose authorization failed */
    public Identifier identifier() {
        return identifier;
    }

    /** @return the type of the challenge that failed, for example {@code dns-01} */
    public String challengeType() {
        return challengeType;
    }

    /** @return the URL of the failed authorization */
    public URI authorizationUrl() {
        return authorizationUrl;
    }
}
