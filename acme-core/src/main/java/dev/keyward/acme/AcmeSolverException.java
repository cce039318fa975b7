package dev.keyward.acme;

/**
 * A {@link ChallengeSolver} could not publish the answer to a challenge (RFC 8555 section 8): the
 * port is taken, the DNS provider refused, and so on. Nothing was asked of the CA for it.
 */
public class AcmeSolverException extends AcmeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the identifier and the challenge type
     * @param cause the underlying failure, or {@code null}
     */
    public AcmeSolverException(String message, Throwable cause) {
        super(message, cause);
    }
}
