package dev.keyward.acme.pkcs11;

import dev.keyward.acme.AcmeSigningException;
import java.util.Objects;

/**
 * A PKCS#11 token (OASIS PKCS#11 base specification) could not give Keyward a usable signer for an
 * ACME key, or refused to sign (RFC 8555 section 6.2). {@link #reason()} says what went wrong, so a
 * caller can tell a wrong PIN from a missing key without reading the message. The message names the
 * library, the token and the key label; it never holds the PIN or key material.
 */
public final class Pkcs11Exception extends AcmeSigningException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason {
        /** The PKCS#11 library file does not exist. */
        LIBRARY_NOT_FOUND,
        /** The file exists but is not a loadable PKCS#11 library (no {@code C_GetFunctionList}). */
        NOT_A_PKCS11_LIBRARY,
        /** The library failed a call: {@code C_Initialize}, listing slots, opening a session, ... */
        LIBRARY_FAILED,
        /** No token has the label, slot id or slot list index asked for. */
        TOKEN_NOT_FOUND,
        /** Several tokens have the label asked for; choose one by slot id. */
        TOKEN_AMBIGUOUS,
        /** The token refused the PIN ({@code CKR_PIN_INCORRECT} or {@code CKR_PIN_LEN_RANGE}). */
        WRONG_PIN,
        /** The token has locked its user PIN ({@code CKR_PIN_LOCKED}). */
        PIN_LOCKED,
        /** No PIN was configured although the token needs one, or the PIN callback failed. */
        PIN_UNAVAILABLE,
        /** The token holds no private key with the label or id asked for. */
        KEY_NOT_FOUND,
        /** Several private keys have the label or id asked for. */
        KEY_AMBIGUOUS,
        /** A private key has the label a new key was to get. */
        KEY_EXISTS,
        /** The token refused to generate a key pair. */
        KEY_GENERATION_FAILED,
        /**
         * The key is neither RSA of 2048 bits or more nor EC on P-256, P-384 or P-521, or the token
         * lacks the mechanism that signs (or generates) it.
         */
        UNSUPPORTED_KEY,
        /** The key cannot sign, no public key is found for it, or the public key does not match it. */
        KEY_UNUSABLE,
        /** The token failed or refused a signature. */
        SIGNING_FAILED,
        /** The {@link Pkcs11KeyStore} the signer came from has been closed. */
        CLOSED
    }

    /** What went wrong. */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason what went wrong
     * @param message what failed, naming library, token and key but never the PIN or key material
     * @param cause the underlying failure, or {@code null}
     */
    Pkcs11Exception(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * What went wrong.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
