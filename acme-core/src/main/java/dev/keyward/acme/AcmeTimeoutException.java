package dev.keyward.acme;

/**
 * A poll of an order or authorization (RFC 8555 section 7.5.1) reached its deadline while the
 * resource still had a non-final status. The resource is unchanged on the server and may be
 * polled again later from its URL.
 */
public class AcmeTimeoutException extends AcmeException {
    private static final long serialVersionUID = 1L;

    /** The status at the last poll. */
    private final Status lastStatus;

    /**
     * Creates the exception.
     *
     * @param message what was awaited, including the resource URL
     * @param lastStatus the status the resource had at the last poll
     */
    public AcmeTimeoutException(String message, Status lastStatus) {
        super(message);
        this.lastStatus = lastStatus;
    }

    /**
     * The status seen at the last poll.
     *
     * @return the last status
     */
    public Status lastStatus() {
        return lastStatus;
    }
}
