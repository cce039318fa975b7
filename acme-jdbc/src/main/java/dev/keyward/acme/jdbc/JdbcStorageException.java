package dev.keyward.acme.jdbc;

import java.io.IOException;

/**
 * The database of a {@link JdbcCertificateStorage} failed, or holds a schema this version of
 * Keyward does not know (the message says which version it found and which it needs). The
 * manager counts a failure of the first kind as a failed attempt and tries again later.
 */
public class JdbcStorageException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed
     * @param cause the cause, or {@code null}
     */
    public JdbcStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
