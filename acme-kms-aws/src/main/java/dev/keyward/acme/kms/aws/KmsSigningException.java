package dev.keyward.acme.kms.aws;

import dev.keyward.acme.AcmeSigningException;
import java.util.Objects;

/**
 * AWS KMS refused or failed to give a key's public half or a signature, so an ACME request
 * (RFC 8555 section 6.2) or a CSR (section 7.4) could not be signed. The message names the key as
 * configured (key id, ARN or alias) and, once known, its ARN; it never holds credentials.
 * {@link #reason()} says why, for callers that handle, say, throttling differently from a disabled key.
 */
public class KmsSigningException extends AcmeSigningException {
    private static final long serialVersionUID = 1L;

    /** Why KMS could not sign. */
    public enum Reason {
        /** {@code NotFoundException}: no key or alias by that name in this account and region. */
        KEY_NOT_FOUND,
        /**
         * {@code AccessDeniedException} (the key policy or IAM does not allow {@code kms:GetPublicKey}
         * or {@code kms:Sign}), or credentials that AWS did not accept.
         */
        ACCESS_DENIED,
        /** {@code DisabledException}: the key is disabled. */
        KEY_DISABLED,
        /** {@code KMSInvalidStateException}: the key is pending deletion, or pending import, or similar. */
        KEY_INVALID_STATE,
        /**
         * The key is not for signing: its {@code KeyUsage} is not {@code SIGN_VERIFY}
         * ({@code InvalidKeyUsageException}, or found by the signer).
         */
        WRONG_KEY_USAGE,
        /**
         * The key cannot sign ACME requests: not {@code ECC_NIST_P256/P384/P521} nor
         * {@code RSA_2048/3072/4096}, or a symmetric key without a public half.
         */
        UNSUPPORTED_KEY_SPEC,
        /** {@code ThrottlingException}: still throttled when the SDK's retries ran out. */
        THROTTLED,
        /** KMS failed or could not reach the key's store (5xx, {@code KeyUnavailableException}, {@code DependencyTimeoutException}). */
        KMS_UNAVAILABLE,
        /** KMS answered, but with a public key or signature that is malformed for the key. */
        INVALID_RESPONSE,
        /** The SDK could not make the call: no region or credentials found, or KMS could not be reached. */
        CLIENT_FAILURE,
        /** Any other error KMS reported; the message carries its code. */
        OTHER
    }

    private final String keyId;
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param keyId the key as the caller named it
     * @param reason why signing failed
     * @param message the whole message, naming the key
     * @param cause the SDK's exception, or {@code null}
     */
    public KmsSigningException(String keyId, Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * The key as the caller named it: key id, key ARN, alias name or alias ARN.
     *
     * @return the key identifier
     */
    public String keyId() {
        return keyId;
    }

    /**
     * Why KMS could not sign.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
