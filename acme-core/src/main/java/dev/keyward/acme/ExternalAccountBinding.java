package dev.keyward.acme;

import dev.keyward.acme.internal.Base64Url;
import java.util.Objects;

/**
 * External Account Binding (RFC 8555 section 7.3.4): ties a new ACME account to an account the CA
 * knows by other means, through a key identifier and a MAC key the CA handed out. Immutable.
 *
 * <p>The MAC key is held as bytes, never as a {@code String}, and never appears in
 * {@link #toString()}, logs or exception messages. Pass it to
 * {@link AccountRequest#externalAccountBinding(ExternalAccountBinding)}.
 */
public final class ExternalAccountBinding {
    private final String keyId;
    private final byte[] macKey;
    private final MacAlgorithm algorithm;

    private ExternalAccountBinding(String keyId, byte[] macKey, MacAlgorithm algorithm) {
        this.keyId = keyId;
        this.macKey = macKey;
        this.algorithm = algorithm;
    }

    /**
     * A binding with the MAC key as the CA gives it: base64url, with HS256.
     *
     * @param keyId the key identifier from the CA
     * @param base64UrlMacKey the MAC key, base64url (padding optional)
     * @return the binding
     * @throws IllegalArgumentException if the key id is empty or the MAC key is not base64url or empty
     */
    public static ExternalAccountBinding of(String keyId, CharSequence base64UrlMacKey) {
        Objects.requireNonNull(base64UrlMacKey, "base64UrlMacKey");
        byte[] key;
        try {
            key = Base64Url.decode(base64UrlMacKey.toString().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the EAB MAC key is not base64url");
        }
        return ofBytes(keyId, key);
    }

    /**
     * A binding with the raw MAC key bytes (copied), with HS256.
     *
     * @param keyId the key identifier from the CA
     * @param macKey the MAC key bytes
     * @return the binding
     * @throws IllegalArgumentException if the key id or the MAC key is empty
     */
    public static ExternalAccountBinding ofBytes(String keyId, byte[] macKey) {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(macKey, "macKey");
        if (keyId.isBlank()) {
            throw new IllegalArgumentException("the EAB key id is empty");
        }
        if (macKey.length == 0) {
            throw new IllegalArgumentException("the EAB MAC key is empty");
        }
        return new ExternalAccountBinding(keyId, macKey.clone(), MacAlgorithm.HS256);
    }

    /**
     * The same binding with another MAC algorithm (default HS256).
     *
     * @param algorithm HS256, HS384 or HS512
     * @return the binding
     */
    public ExternalAccountBinding withAlgorithm(MacAlgorithm algorithm) {
        return new ExternalAccountBinding(keyId, macKey, Objects.requireNonNull(algorithm, "algorithm"));
    }

    /** @return the key identifier */
    public String keyId() {
        return keyId;
    }

    /** @return the MAC algorithm */
    public MacAlgorithm algorithm() {
        return algorithm;
    }

    /** A copy of the MAC key, for the JWS writer only. */
    byte[] macKey() {
        return macKey.clone();
    }

    @Override
    public String toString() {
        return "ExternalAccountBinding{keyId=" + keyId + ", " + algorithm + ", macKey=(hidden)}";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ExternalAccountBinding)) {
            return false;
        }
        ExternalAccountBinding other = (ExternalAccountBinding) o;
        return keyId.equals(other.keyId) && algorithm == other.algorithm
                && java.security.MessageDigest.isEqual(macKey, other.macKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyId, algorithm);
    }
}
