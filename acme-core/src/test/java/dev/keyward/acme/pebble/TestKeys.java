package dev.keyward.acme.pebble;

import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Signers;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** Fresh in-memory keys for tests. */
public final class TestKeys {
    private TestKeys() {
    }

    public static AcmeSigner ecP256() {
        return signer(ec("secp256r1"));
    }

    public static AcmeSigner ecP384() {
        return signer(ec("secp384r1"));
    }

    public static AcmeSigner rsa2048() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return signer(g.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static AcmeSigner named(String name) {
        switch (name) {
            case "ec-p256": return ecP256();
            case "ec-p384": return ecP384();
            case "rsa-2048": return rsa2048();
            default: throw new IllegalArgumentException(name);
        }
    }

    private static KeyPair ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AcmeSigner signer(KeyPair pair) {
        return Signers.jca(pair.getPrivate(), pair.getPublic());
    }
}
