package dev.keyward.acme;

/**
 * The CA does not offer an optional part of RFC 8555 that the caller asked for, for example
 * pre-authorization ({@code newAuthz}, section 7.4.1) or key change when its directory lacks
 * {@code keyChange}. Nothing was sent.
 */
public class AcmeNotSupportedException extends AcmeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what the CA does not offer, naming the directory field
     */
    public AcmeNotSupportedException(String message) {
        super(message);
    }
}
