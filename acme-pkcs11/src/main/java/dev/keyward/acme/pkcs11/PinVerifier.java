package dev.keyward.acme.pkcs11;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A salted SHA-256 of the PIN that logged in to an open token. PKCS#11 login state is shared by every
 * session of a process, so once one {@link Pkcs11KeyStore} has logged in, the token accepts any PIN
 * from the next one ({@code CKR_USER_ALREADY_LOGGED_IN}); comparing against this verifier is how a
 * second {@code open()} with a wrong PIN still fails. The PIN itself is never kept.
 */
final class PinVerifier {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] salt;
    private final byte[] digest;

    private PinVerifier(byte[] salt, byte[] digest) {
        this.salt = salt;
        this.digest = digest;
    }

    static PinVerifier of(char[] pin) {
        byte[] salt = new byte[32];
        RANDOM.nextBytes(salt);
        return new PinVerifier(salt, digest(salt, pin));
    }

    boolean matches(char[] pin) {
        byte[] candidate = digest(salt, pin);
        try {
            return MessageDigest.isEqual(candidate, digest);
        } finally {
            Arrays.fill(candidate, (byte) 0);
        }
    }

    private static byte[] digest(byte[] salt, char[] pin) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(pin == null ? new char[0] : pin));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(salt);
            sha256.update(bytes);
            return sha256.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
    }

    @Override
    public String toString() {
        return "PinVerifier";
    }
}
