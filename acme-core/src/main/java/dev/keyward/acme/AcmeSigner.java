package dev.keyward.acme;

import java.security.PublicKey;

/**
 * The one signing abstraction of Keyward: it signs the JWS of every ACME request (RFC 8555
 * section 6.2: account creation, key rollover, revocation, every POST) and every certificate
 * signing request (section 7.4). A key in memory, in a PKCS#11 token or in a KMS is used the
 * same way everywhere.
 *
 * <p>Implementations must be thread-safe: one account signer serves concurrent requests.
 * {@link Signers#jca} gives one for any JCA private key. Implementations must never reveal key
 * material in {@code toString()} or in exception messages.
 *
 * <p>Lifecycle: Keyward never closes a signer, nor anything behind it; the caller owns it. Whoever
 * opened the key store or created the client behind a signer closes it, once no request needs the
 * signer any more ({@link AcmeClient}, {@link Account} and {@link Containment} only borrow it):
 * <ul>
 *   <li>{@link Signers#jca} signers hold a JCA key and need no closing;</li>
 *   <li>the signers of a {@code dev.keyward.acme.pkcs11.Pkcs11KeyStore} (module acme-pkcs11) work
 *       until that store, an {@link AutoCloseable}, is closed, which gives up its share of the
 *       token's login;</li>
 *   <li>a {@code dev.keyward.acme.kms.aws.KmsSigner} (module acme-kms-aws) is itself
 *       {@link AutoCloseable}: closing it closes the {@code KmsClient} it created, never one the
 *       caller passed to {@code KmsSigners.Builder.kmsClient}, which the caller closes.</li>
 * </ul>
 */
public interface AcmeSigner {
    /**
     * The algorithm this signer's key signs with.
     *
     * @return the algorithm
     */
    SignatureAlgorithm algorithm();

    /**
     * The public key, from which the JWK (RFC 7517) and its thumbprint (RFC 7638) are built.
     *
     * @return the public key, an {@link java.security.interfaces.RSAPublicKey} or
     *     {@link java.security.interfaces.ECPublicKey}
     */
    PublicKey publicKey();

    /**
     * Signs data with {@link #algorithm()}, hashing included, exactly as
     * {@link java.security.Signature} with {@link SignatureAlgorithm#jcaName()} would.
     *
     * <p>The signature is in the JCA and X.509 encoding: for ECDSA the DER {@code SEQUENCE} of R
     * and S (which Keyward converts to R||S for JWS itself), for RSA the PKCS#1 v1.5 bytes.
     *
     * @param data the bytes to sign
     * @return the signature
     * @throws AcmeSigningException if the key store, HSM or KMS fails
     */
    byte[] sign(byte[] data) throws AcmeSigningException;
}
