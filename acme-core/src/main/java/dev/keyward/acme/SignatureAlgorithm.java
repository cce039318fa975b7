package dev.keyward.acme;

/**
 * The JWS algorithms Keyward signs with (RFC 8555 section 6.2, RFC 7518 section 3): RSASSA-PKCS1-v1_5
 * with SHA-256 and ECDSA on the NIST curves. Each names its JCA signature algorithm and digest, so
 * a signer backed by an HSM or KMS can pick the matching operation.
 */
public enum SignatureAlgorithm {
    /** RSASSA-PKCS1-v1_5 with SHA-256; RSA keys of 2048 bits or more. */
    RS256("RS256", "SHA256withRSA", "SHA-256", 0),
    /** ECDSA on P-256 with SHA-256. */
    ES256("ES256", "SHA256withECDSA", "SHA-256", 32),
    /** ECDSA on P-384 with SHA-384. */
    ES384("ES384", "SHA384withECDSA", "SHA-384", 48),
    /** ECDSA on P-521 with SHA-512. */
    ES512("ES512", "SHA512withECDSA", "SHA-512", 66);

    private final String jwsName;
    private final String jcaName;
    private final String digestName;
    private final int coordinateLength;

    SignatureAlgorithm(String jwsName, String jcaName, String digestName, int coordinateLength) {
        this.jwsName = jwsName;
        this.jcaName = jcaName;
        this.digestName = digestName;
        this.coordinateLength = coordinateLength;
    }

    /**
     * The {@code alg} value of the JWS header, for example {@code ES256}.
     *
     * @return the JWS name
     */
    public String jwsName() {
        return jwsName;
    }

    /**
     * The JCA {@link java.security.Signature} algorithm, for example {@code SHA256withECDSA}.
     *
     * @return the JCA name
     */
    public String jcaName() {
        return jcaName;
    }

    /**
     * The JCA {@link java.security.MessageDigest} algorithm, for example {@code SHA-256}.
     *
     * @return the digest name
     */
    public String digestName() {
        return digestName;
    }

    /**
     * Whether this is an ECDSA algorithm.
     *
     * @return {@code true} for ES256, ES384 and ES512
     */
    public boolean isEcdsa() {
        return coordinateLength > 0;
    }

    /**
     * For ECDSA, the byte length of each of R and S in the JWS signature (RFC 7518 section 3.4).
     *
     * @return 32, 48 or 66; 0 for RSA
     */
    public int coordinateLength() {
        return coordinateLength;
    }
}
