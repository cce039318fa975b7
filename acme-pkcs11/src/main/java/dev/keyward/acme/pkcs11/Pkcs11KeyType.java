package dev.keyward.acme.pkcs11;

/**
 * A key pair {@link Pkcs11KeyStore#generateKeyPair(String, Pkcs11KeyType)} makes inside a token:
 * the ACME signature algorithms of RFC 7518 that tokens commonly support.
 */
public enum Pkcs11KeyType {
    /** EC on P-256 ({@code CKM_EC_KEY_PAIR_GEN}), signing ES256. */
    EC_P256("P-256", 0),
    /** EC on P-384 ({@code CKM_EC_KEY_PAIR_GEN}), signing ES384. */
    EC_P384("P-384", 0),
    /** RSA with a 2048-bit modulus ({@code CKM_RSA_PKCS_KEY_PAIR_GEN}), signing RS256. */
    RSA_2048(null, 2048),
    /** RSA with a 3072-bit modulus ({@code CKM_RSA_PKCS_KEY_PAIR_GEN}), signing RS256. */
    RSA_3072(null, 3072);

    private final String curve;
    private final int modulusBits;

    Pkcs11KeyType(String curve, int modulusBits) {
        this.curve = curve;
        this.modulusBits = modulusBits;
    }

    boolean isEc() {
        return curve != null;
    }

    String curve() {
        return curve;
    }

    int modulusBits() {
        return modulusBits;
    }
}
