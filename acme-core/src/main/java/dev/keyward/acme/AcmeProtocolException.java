package dev.keyward.acme;

/**
 * The server answered outside RFC 8555: a required field is missing or has the wrong type, a
 * body is not JSON, a header the protocol requires is absent, or a certificate does not match the
 * request. Unchecked, since a correct server never causes it; the message says what was wrong and
 * where.
 */
public class AcmeProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what the server did wrong
     */
    public AcmeProtocolException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what the server did wrong
     * @param cause the parsing failure behind it
     */
    public AcmeProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
