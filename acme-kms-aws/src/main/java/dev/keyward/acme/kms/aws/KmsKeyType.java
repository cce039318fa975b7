package dev.keyward.acme.kms.aws;

import dev.keyward.acme.SignatureAlgorithm;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Optional;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/** The KMS key specs that can sign ACME requests, each with its JWS and KMS signing algorithm. */
enum KmsKeyType {
    ECC_NIST_P256(SignatureAlgorithm.ES256, SigningAlgorithmSpec.ECDSA_SHA_256, "secp256r1", 256),
    ECC_NIST_P384(SignatureAlgorithm.ES384, SigningAlgorithmSpec.ECDSA_SHA_384, "secp384r1", 384),
    ECC_NIST_P521(SignatureAlgorithm.ES512, SigningAlgorithmSpec.ECDSA_SHA_512, "secp521r1", 521),
    RSA_2048(SignatureAlgorithm.RS256, SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256, null, 2048),
    RSA_3072(SignatureAlgorithm.RS256, SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256, null, 3072),
    RSA_4096(SignatureAlgorithm.RS256, SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256, null, 4096);

    /** What to tell a caller whose key has another spec. */
    static final String SUPPORTED = "ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, RSA_2048, RSA_3072 or RSA_4096";

    private final SignatureAlgorithm algorithm;
    private final SigningAlgorithmSpec signingAlgorithm;
    private final String curve;
    private final int bits;

    KmsKeyType(SignatureAlgorithm algorithm, SigningAlgorithmSpec signingAlgorithm, String curve, int bits) {
        this.algorithm = algorithm;
        this.signingAlgorithm = signingAlgorithm;
        this.curve = curve;
        this.bits = bits;
    }

    /** The type for a KMS key spec name such as {@code ECC_NIST_P256}; empty for any other spec. */
    static Optional<KmsKeyType> forSpec(String keySpec) {
        for (KmsKeyType type : values()) {
            if (type.name().equals(keySpec)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    SignatureAlgorithm algorithm() {
        return algorithm;
    }

    SigningAlgorithmSpec signingAlgorithm() {
        return signingAlgorithm;
    }

    /**
     * Decodes {@code GetPublicKey}'s DER SubjectPublicKeyInfo and checks that it is a key of this spec.
     *
     * @throws GeneralSecurityException if it does not decode, or is of another type, curve or size
     */
    PublicKey decode(byte[] subjectPublicKeyInfo) throws GeneralSecurityException {
        PublicKey key = KeyFactory.getInstance(curve == null ? "RSA" : "EC")
                .generatePublic(new X509EncodedKeySpec(subjectPublicKeyInfo));
        if (key instanceof RSAPublicKey) {
            int actual = ((RSAPublicKey) key).getModulus().bitLength();
            if (actual != bits) {
                throw new GeneralSecurityException("the RSA public key has " + actual + " bits, " + name() + " " + bits);
            }
            return key;
        }
        if (!(key instanceof ECPublicKey)) {
            throw new GeneralSecurityException("the public key is a " + key.getAlgorithm() + " key");
        }
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec(curve));
        ECParameterSpec expected = parameters.getParameterSpec(ECParameterSpec.class);
        ECParameterSpec actual = ((ECPublicKey) key).getParams();
        if (!expected.getCurve().equals(actual.getCurve()) || !expected.getOrder().equals(actual.getOrder())
                || !expected.getGenerator().equals(actual.getGenerator())) {
            throw new GeneralSecurityException("the EC public key is not on " + curve + " as " + name() + " says");
        }
        return key;
    }
}
