package dev.keyward.acme.jdbc;

/**
 * The queue's database failed or holds a schema this version of Keyward does not know (the
 * message says which version it found and which it needs). A worker that meets the first kind
 * backs off and tries again; the second is never retried.
 */
public class CsrQueueException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed
     * @param cause the cause, or {@code null}
     */
    public CsrQueueException(String message, Throwable cause) {
        super(message, cause);
    }
}
