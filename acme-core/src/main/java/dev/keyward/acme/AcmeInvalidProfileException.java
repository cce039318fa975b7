package dev.keyward.acme;

import java.net.URI;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * A certificate profile the CA does not offer (draft-ietf-acme-profiles section 6,
 * {@code invalidProfile}): either refused by the CA, or refused by Keyward before any request
 * because the directory does not list it. {@link #offered()} names what the CA lists.
 */
public class AcmeInvalidProfileException extends AcmeServerException {
    private static final long serialVersionUID = 1L;

    /** The problem type of the draft. */
    static final URI TYPE = URI.create(Problem.ACME_ERROR_PREFIX + "invalidProfile");

    private final List<String> offered;

    /**
     * Creates the exception.
     *
     * @param problem the problem document
     * @param retryAfter the {@code Retry-After} instant, or {@code null}
     * @param offered the profiles the directory lists
     */
    public AcmeInvalidProfileException(Problem problem, Instant retryAfter, Collection<String> offered) {
        super(problem, retryAfter);
        this.offered = List.copyOf(offered);
    }

    static AcmeInvalidProfileException notListed(String profile, Collection<String> offered) {
        return new AcmeInvalidProfileException(Problem.of(TYPE, "the CA offers no profile '" + profile
                + "'; it offers " + offered, null), null, offered);
    }

    /**
     * The profiles the CA's directory lists ({@link DirectoryMeta#profiles()}); empty when the
     * CA refused and the directory was not at hand.
     *
     * @return the profile names
     */
    public List<String> offered() {
        return offered;
    }
}
