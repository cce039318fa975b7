package dev.keyward.acme;

import java.util.Objects;

/**
 * An account document could not be read or written: a Keyward account export
 * ({@link AccountExport}) or another client's account files ({@link ForeignAccount}). The
 * {@link #reason() reason} says what to fix. The message names files and fields, never key
 * material or a passphrase.
 *
 * <p>This is no ACME failure (RFC 8555 section 6.7): nothing was sent to a CA.
 */
public final class AccountFileException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the document cannot be used. */
    public enum Reason {
        /** The document is not what it claims: bad JSON, a missing or malformed field, a broken key. */
        MALFORMED,
        /** The document is a Keyward account export of a format version this library does not read. */
        UNSUPPORTED_VERSION,
        /** The passphrase does not open the encrypted key. */
        WRONG_PASSPHRASE,
        /** No account was found where one was looked for. */
        NOT_FOUND,
        /** Several accounts match; the caller must choose one. */
        AMBIGUOUS,
        /** The file to write exists already; it is never overwritten. */
        EXISTS,
        /** A key given for the account is not the account's key. */
        KEY_MISMATCH,
        /** The file system failed (permissions, a full disk, an I/O error). */
        IO
    }

    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason why the document cannot be used
     * @param message what is wrong, naming the file or field, never key material
     */
    public AccountFileException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * Creates the exception with a cause.
     *
     * @param reason why the document cannot be used
     * @param message what is wrong, naming the file or field, never key material
     * @param cause the underlying failure
     */
    public AccountFileException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * Why the document cannot be used.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
