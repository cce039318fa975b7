package dev.keyward.acme;

/**
 * Root of the checked exceptions that Keyward throws when an ACME operation cannot complete
 * (RFC 8555 section 6.7 describes the errors a server reports).
 *
 * <p>Subclasses say why: {@link AcmeServerException} when the server answered with a problem
 * document, {@link AcmeNetworkException} when it could not be reached or did not answer in time,
 * {@link AcmeTimeoutException} when a poll deadline passed, {@link AcmeSigningException} when the
 * signer failed. A server that breaks the protocol raises the unchecked
 * {@link AcmeProtocolException} instead.
 */
public class AcmeException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong; never contains key material
     */
    public AcmeException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong; never contains key material
     * @param cause the underlying failure
     */
    public AcmeException(String message, Throwable cause) {
        super(message, cause);
    }
}
