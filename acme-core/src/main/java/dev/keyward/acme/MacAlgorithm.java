package dev.keyward.acme;

/**
 * The HMAC algorithms of an External Account Binding (RFC 8555 section 7.3.4, RFC 7518 section
 * 3.2). HS256 is the default and what CAs support most.
 */
public enum MacAlgorithm {
    /** HMAC with SHA-256. */
    HS256("HS256", "HmacSHA256"),
    /** HMAC with SHA-384. */
    HS384("HS384", "HmacSHA384"),
    /** HMAC with SHA-512. */
    HS512("HS512", "HmacSHA512");

    private final String jwsName;
    private final String jcaName;

    MacAlgorithm(String jwsName, String jcaName) {
        this.jwsName = jwsName;
        this.jcaName = jcaName;
    }

    /** @return the {@code alg} of the binding's JWS header, for example {@code HS256} */
    public String jwsName() {
        return jwsName;
    }

    /** @return the JCA {@link javax.crypto.Mac} algorithm, for example {@code HmacSHA256} */
    public String jcaName() {
        return jcaName;
    }
}
