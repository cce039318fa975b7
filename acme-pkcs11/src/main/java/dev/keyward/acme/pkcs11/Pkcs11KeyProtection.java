package dev.keyward.acme.pkcs11;

/**
 * How a private key in a token is protected, as the token reports it ({@code C_GetAttributeValue}).
 * A key that never leaves the token is {@link #token()}, {@link #privateObject()},
 * {@link #sensitive()} and not {@link #extractable()}; {@link Pkcs11KeyStore#generateKeyPair} makes
 * keys so. An attribute the token does not report counts against the key: {@code false}, except
 * {@code extractable}, which is then {@code true}.
 *
 * @param token {@code CKA_TOKEN}: the key is kept in the token, not only for a session
 * @param privateObject {@code CKA_PRIVATE}: the key can be used only after login
 * @param sensitive {@code CKA_SENSITIVE}: the key's value cannot be read in plaintext
 * @param extractable {@code CKA_EXTRACTABLE}: the key can be wrapped (exported encrypted)
 * @param alwaysSensitive {@code CKA_ALWAYS_SENSITIVE}: the key has been sensitive since it was made
 * @param neverExtractable {@code CKA_NEVER_EXTRACTABLE}: the key has never been extractable
 * @param local {@code CKA_LOCAL}: the key was generated in the token, not imported
 */
public record Pkcs11KeyProtection(boolean token, boolean privateObject, boolean sensitive, boolean extractable,
        boolean alwaysSensitive, boolean neverExtractable, boolean local) {

    /**
     * Whether the key cannot leave the token: a token object, private, sensitive and not extractable.
     *
     * @return {@code true} for a key that stays in the token
     */
    public boolean staysInToken() {
        return token && privateObject && sensitive && !extractable;
    }
}
