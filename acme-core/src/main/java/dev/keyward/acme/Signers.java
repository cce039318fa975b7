package dev.keyward.acme;

import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;

/**
 * Factories of {@link AcmeSigner}s for keys reachable through the JCA (RFC 8555 section 6.2 lists
 * the algorithms an ACME server must accept: RS256 and ES256; Keyward also signs ES384 and ES512).
 */
public final class Signers {
    private Signers() {
    }

    /**
     * A signer for a JCA private key, using the default provider for its algorithm. The algorithm
     * follows from the public key: RS256 for RSA of at least 2048 bits, ES256, ES384 or ES512 for
     * EC keys on P-256, P-384 or P-521.
     *
     * @param privateKey the private key; it is used, never copied or printed
     * @param publicKey the matching public key
     * @return the signer
     * @throws IllegalArgumentException if the key type or size is not supported, or the private key
     *     does not belong to the public key (checked by signing and verifying a probe)
     */
    public static AcmeSigner jca(PrivateKey privateKey, PublicKey publicKey) {
        return new JcaSigner(privateKey, publicKey, null, algorithmFor(publicKey));
    }

    /**
     * A signer for a private key that lives in a given JCA provider, such as a PKCS#11 token
     * through SunPKCS11: the key never leaves the provider. The caller keeps the provider (and a
     * token's login) usable for as long as the signer signs; Keyward closes or logs out nothing.
     *
     * @param privateKey the private key (may be a non-extractable handle)
     * @param publicKey the matching public key
     * @param provider the provider that signs with the key
     * @return the signer
     * @throws IllegalArgumentException if the key type or size is not supported, or the private key
     *     does not belong to the public key (checked by signing and verifying a probe)
     */
    public static AcmeSigner jca(PrivateKey privateKey, PublicKey publicKey, Provider provider) {
        Objects.requireNonNull(provider, "provider");
        return new JcaSigner(privateKey, publicKey, provider, algorithmFor(publicKey));
    }

    /**
     * Converts an ECDSA signature from the raw {@code R||S} form (what PKCS#11's {@code CKM_ECDSA}
     * and JWS, RFC 7518 section 3.4, use) to the DER {@code SEQUENCE} form that
     * {@link AcmeSigner#sign(byte[])} returns, for signers over key stores that answer raw.
     *
     * @param concat R and S, each as long as the curve's order, concatenated
     * @return the DER signature
     * @throws IllegalArgumentException if the length is zero or odd
     */
    public static byte[] ecdsaDerFromConcat(byte[] concat) {
        return dev.keyward.acme.internal.EcdsaSignatures.concatToDer(concat);
    }

    /**
     * The algorithm Keyward signs with for a public key.
     *
     * @param publicKey an RSA or EC public key
     * @return RS256 for RSA keys of 2048 bits or more; ES256, ES384 or ES512 for P-256, P-384, P-521
     * @throws IllegalArgumentException for other key types, curves or sizes
     */
    public static SignatureAlgorithm algorithmFor(PublicKey publicKey) {
        Objects.requireNonNull(publicKey, "publicKey");
        if (publicKey instanceof RSAPublicKey) {
            int bits = ((RSAPublicKey) publicKey).getModulus().bitLength();
            if (bits < 2048) {
                throw new IllegalArgumentException("RSA keys must have at least 2048 bits, this one has " + bits);
            }
            return SignatureAlgorithm.RS256;
        }
        if (publicKey instanceof ECPublicKey) {
            String curve = dev.keyward.acme.internal.Jwks.curveName(((ECPublicKey) publicKey).getParams());
            if ("P-256".equals(curve)) {
                return SignatureAlgorithm.ES256;
            }
            if ("P-384".equals(curve)) {
                return SignatureAlgorithm.ES384;
            }
            if ("P-521".equals(curve)) {
                return SignatureAlgorithm.ES512;
            }
            throw new IllegalArgumentException("unsupported EC curve " + (curve == null ? "(unnamed)" : curve)
                    + "; use P-256, P-384 or P-521");
        }
        throw new IllegalArgumentException("unsupported key type " + publicKey.getAlgorithm()
                + "; use RSA (2048 bits or more) or EC (P-256, P-384, P-521)");
    }
}
