package dev.keyward.acme.testkit;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * One asymmetric key that the {@link KmsEmulator} holds in memory and signs with, the way AWS KMS
 * signs: ECDSA signatures in DER, RSASSA-PKCS1-v1_5 over a message or over a digest the caller
 * computed ({@code MessageType=DIGEST}). Its state changes while tests run; everything else is fixed.
 */
final class EmulatedKmsKey {

    /** BouncyCastle for EC (the JDK has no secp256k1); not registered as a JVM-wide provider. */
    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    /** How KMS names each signing algorithm: JCA digest, and whether it is ECDSA. */
    private static final Map<String, String> DIGESTS = Map.of(
            "ECDSA_SHA_256", "SHA-256", "ECDSA_SHA_384", "SHA-384", "ECDSA_SHA_512", "SHA-512",
            "RSASSA_PKCS1_V1_5_SHA_256", "SHA-256", "RSASSA_PKCS1_V1_5_SHA_384", "SHA-384",
            "RSASSA_PKCS1_V1_5_SHA_512", "SHA-512");

    private final String keyId;
    private final String arn;
    private final KmsEmulator.KeySpec spec;
    private final KmsEmulator.KeyUsage usage;
    private final KeyPair keyPair;
    private volatile KmsEmulator.KeyState state = KmsEmulator.KeyState.ENABLED;

    private EmulatedKmsKey(String keyId, String arn, KmsEmulator.KeySpec spec, KmsEmulator.KeyUsage usage,
                           KeyPair keyPair) {
        this.keyId = keyId;
        this.arn = arn;
        this.spec = spec;
        this.usage = usage;
        this.keyPair = keyPair;
    }

    static EmulatedKmsKey generate(String keyId, String arn, KmsEmulator.KeySpec spec, KmsEmulator.KeyUsage usage) {
        if (spec == KmsEmulator.KeySpec.SYMMETRIC_DEFAULT) {
            return new EmulatedKmsKey(keyId, arn, spec, usage, null);
        }
        try {
            KeyPairGenerator generator;
            if (spec.curve() != null) {
                generator = KeyPairGenerator.getInstance("EC", BOUNCY_CASTLE);
                generator.initialize(new ECGenParameterSpec(spec.curve()));
            } else {
                generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(new RSAKeyGenParameterSpec(spec.rsaBits(), RSAKeyGenParameterSpec.F4));
            }
            return new EmulatedKmsKey(keyId, arn, spec, usage, generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + spec + " key", e);
        }
    }

    String keyId() {
        return keyId;
    }

    String arn() {
        return arn;
    }

    KmsEmulator.KeySpec spec() {
        return spec;
    }

    KmsEmulator.KeyUsage usage() {
        return usage;
    }

    /** The key pair; {@code null} for a symmetric key, which this emulator never uses. */
    KeyPair keyPair() {
        return keyPair;
    }

    KmsEmulator.KeyState state() {
        return state;
    }

    void state(KmsEmulator.KeyState newState) {
        this.state = newState;
    }

    /** The public view handed to tests. */
    KmsEmulator.Key asPublic() {
        return new KmsEmulator.Key(keyId, arn, spec, usage, keyPair == null ? null : keyPair.getPublic());
    }

    /** The signing algorithms KMS lists for this key: none unless its usage is SIGN_VERIFY. */
    List<String> signingAlgorithms() {
        return usage == KmsEmulator.KeyUsage.SIGN_VERIFY && keyPair != null ? spec.signingAlgorithms() : List.of();
    }

    /**
     * Signs as KMS's {@code Sign} does. Returns empty when the algorithm does not fit the key, and
     * throws {@link IllegalArgumentException} (KMS's {@code ValidationException}) when a digest has
     * the wrong length.
     */
    Optional<byte[]> sign(String signingAlgorithm, byte[] message, boolean isDigest) {
        if (!signingAlgorithms().contains(signingAlgorithm)) {
            return Optional.empty();
        }
        String digestName = DIGESTS.get(signingAlgorithm);
        try {
            byte[] digest = isDigest ? message : MessageDigest.getInstance(digestName).digest(message);
            int expected = MessageDigest.getInstance(digestName).getDigestLength();
            if (digest.length != expected) {
                throw new IllegalArgumentException("Digest is invalid length for algorithm " + signingAlgorithm
                        + ": expected " + expected + " bytes, got " + digest.length);
            }
            if (spec.curve() != null) {
                Signature ecdsa = Signature.getInstance("NONEwithECDSA", BOUNCY_CASTLE);
                ecdsa.initSign(keyPair.getPrivate());
                ecdsa.update(digest);
                return Optional.of(ecdsa.sign());
            }
            Signature rsa = Signature.getInstance("NONEwithRSA");
            rsa.initSign(keyPair.getPrivate());
            rsa.update(digestInfo(digestName, digest));
            return Optional.of(rsa.sign());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the emulator failed to sign with " + signingAlgorithm, e);
        }
    }

    /** The DER {@code DigestInfo} that RSASSA-PKCS1-v1_5 pads and signs (RFC 8017 section 9.2). */
    private static byte[] digestInfo(String digestName, byte[] digest) throws IOException {
        AlgorithmIdentifier algorithm = switch (digestName) {
            case "SHA-256" -> new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE);
            case "SHA-384" -> new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha384, DERNull.INSTANCE);
            default -> new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha512, DERNull.INSTANCE);
        };
        return new DigestInfo(algorithm, digest).getEncoded();
    }
}
