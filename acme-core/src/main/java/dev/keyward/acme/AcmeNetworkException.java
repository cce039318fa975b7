package dev.keyward.acme;

/**
 * The ACME server could not be reached, or did not answer within the deadline (connect, read or
 * call timeout), for any request of RFC 8555 (section 6: every request is an HTTPS exchange).
 * Carries the I/O failure as its cause.
 *
 * <p>{@link #mayHaveTakenEffect()} tells whether the request might have reached the server and
 * changed state there (a POST that was sent before the connection failed), so a caller can look
 * the resource up again instead of repeating a creation blindly.
 */
public class AcmeNetworkException extends AcmeException {
    private static final long serialVersionUID = 1L;

    /** Whether the server may have acted on the request. */
    private final boolean mayHaveTakenEffect;

    /**
     * Creates the exception.
     *
     * @param message what failed, including the URL
     * @param cause the I/O failure
     * @param mayHaveTakenEffect whether the server may have acted on the request
     */
    public AcmeNetworkException(String message, Throwable cause, boolean mayHaveTakenEffect) {
        super(message, cause);
        this.mayHaveTakenEffect = mayHaveTakenEffect;
    }

    /**
     * Whether the server may have acted on the request before the failure.
     *
     * @return {@code false} when the request surely did not change state on the server
     */
    public boolean mayHaveTakenEffect() {
        return mayHaveTakenEffect;
    }

    /**
     * Whether the server's address refused the connection, did not resolve or had no route: before
     * a CA ever answered, that is a wrong URL or a CA that is down, not a transient fault, and
     * Keyward does not retry it.
     *
     * @return {@code true} for a refused connection, an unknown host or no route to it
     */
    public boolean isUnreachable() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }
}
