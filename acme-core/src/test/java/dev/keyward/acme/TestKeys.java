package dev.keyward.acme;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.EnumMap;
import java.util.Map;

/** Key pairs of every kind Keyward signs with, generated once per test run. */
enum TestKeys {
    RSA_2048("RS256"),
    EC_P256("ES256"),
    EC_P384("ES384"),
    EC_P521("ES512");

    private static final Map<TestKeys, KeyPair> CACHE = new EnumMap<>(TestKeys.class);

    final String jwsAlgorithm;

    TestKeys(String jwsAlgorithm) {
        this.jwsAlgorithm = jwsAlgorithm;
    }

    /** The key pair of this kind, shared within the test run. */
    KeyPair keyPair() {
        synchronized (CACHE) {
            return CACHE.computeIfAbsent(this, TestKeys::generate);
        }
    }

    /** A JCA signer of {@link #keyPair()}. */
    AcmeSigner signer() {
        KeyPair kp = keyPair();
        return Signers.jca(kp.getPrivate(), kp.getPublic());
    }

    /** A new key pair of this kind, never shared. */
    KeyPair fresh() {
        return generate(this);
    }

    static KeyPair ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair generate(TestKeys kind) {
        switch (kind) {
            case RSA_2048: return rsa(2048);
            case EC_P256: return ec("secp256r1");
            case EC_P384: return ec("secp384r1");
            case EC_P521: return ec("secp521r1");
            default: throw new IllegalArgumentException(kind.name());
        }
    }
}
