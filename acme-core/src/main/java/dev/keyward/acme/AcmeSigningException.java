package dev.keyward.acme;

/**
 * An {@link AcmeSigner} could not produce a signature for a JWS (RFC 8555 section 6.2) or a CSR
 * (section 7.4): the key store, HSM or KMS refused or failed. The message names the key (by label or id), never its material.
 */
public class AcmeSigningException extends AcmeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the key but never its material
     * @param cause the provider's failure
     */
    public AcmeSigningException(String message, Throwable cause) {
        super(message, cause);
    }
}
