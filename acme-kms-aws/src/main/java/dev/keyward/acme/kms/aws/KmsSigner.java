package dev.keyward.acme.kms.aws;

import dev.keyward.acme.AcmeSigner;

/**
 * An {@link AcmeSigner} whose private key stays in AWS KMS: it signs every JWS of RFC 8555
 * section 6.2 (new account, key rollover, revocation, every POST) and every CSR of section 7.4
 * through KMS's {@code Sign}, with the digest computed locally ({@code MessageType=DIGEST}). Made by
 * {@link KmsSigners#builder()}; thread-safe.
 *
 * <p>{@link #sign(byte[])} returns what KMS returns: for ECDSA the DER signature, which is the JCA
 * encoding {@link AcmeSigner} asks for (Keyward converts it to R||S for JWS, RFC 7518 section 3.4).
 * It throws {@link KmsSigningException}, naming the key, when KMS refuses.
 */
public interface KmsSigner extends AcmeSigner, AutoCloseable {
    /**
     * The key as configured: key id, key ARN, alias name or alias ARN.
     *
     * @return the configured key identifier
     */
    String keyId();

    /**
     * The key's ARN, as {@code GetPublicKey} returned it when the signer was built. Every
     * {@code Sign} names this ARN, so an alias moved to another key later does not change which key
     * signs for this signer.
     *
     * @return the key ARN
     */
    String keyArn();

    /**
     * Closes the {@code KmsClient} if the signer created it; a client the caller gave is left open.
     * Signing afterwards throws {@link IllegalStateException}. Does nothing when called again.
     */
    @Override
    void close();
}
