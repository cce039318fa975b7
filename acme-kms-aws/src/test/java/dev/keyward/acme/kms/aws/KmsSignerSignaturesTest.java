package dev.keyward.acme.kms.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.Csr;
import dev.keyward.acme.SignatureAlgorithm;
import dev.keyward.acme.testkit.KmsEmulator;
import dev.keyward.acme.testkit.KmsEmulator.KeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every key spec ACME can use, signed in the emulated KMS and checked by the JDK's verifier: the
 * raw signature (the JCA encoding, DER for ECDSA), the Sign request itself, and a CSR.
 */
class KmsSignerSignaturesTest {
    private static final byte[] DATA = "eyJhbGciOiJFUzI1NiJ9.eyJ0ZXJtc09mU2VydmljZUFncmVlZCI6dHJ1ZX0"
            .getBytes(StandardCharsets.US_ASCII);

    private static KmsEmulator kms;
    private static final Map<KeySpec, KmsEmulator.Key> keys = new EnumMap<>(KeySpec.class);
    private static final Map<KeySpec, KmsSigner> signers = new EnumMap<>(KeySpec.class);

    @BeforeAll
    static void createOneKeyPerSpec() throws Exception {
        kms = KmsEmulator.start();
        for (KeySpec spec : List.of(KeySpec.ECC_NIST_P256, KeySpec.ECC_NIST_P384, KeySpec.ECC_NIST_P521,
                KeySpec.RSA_2048, KeySpec.RSA_3072, KeySpec.RSA_4096)) {
            KmsEmulator.Key key = kms.createKey(spec);
            keys.put(spec, key);
            signers.put(spec, EmulatedKms.signer(kms, key.keyId()).build());
        }
    }

    @AfterAll
    static void stop() {
        signers.values().forEach(KmsSigner::close);
        kms.close();
    }

    @ParameterizedTest
    @EnumSource(value = KeySpec.class, names = {"ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521"})
    void ellipticCurveKeysSignInDerThatTheJdkVerifies(KeySpec spec) throws Exception {
        KmsSigner signer = signers.get(spec);

        byte[] signature = signer.sign(DATA);

        assertThat(signer.publicKey()).isEqualTo(keys.get(spec).publicKey().orElseThrow());
        assertThat(signature[0]).as("DER SEQUENCE tag").isEqualTo((byte) 0x30);
        assertThat(EmulatedKms.verifiesWithJca(signer.algorithm().jcaName(), signer.publicKey(), DATA, signature)).isTrue();
        assertThat(EmulatedKms.verifiesWithJca(signer.algorithm().jcaName(), signer.publicKey(), "other".getBytes(StandardCharsets.US_ASCII), signature)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = KeySpec.class, names = {"RSA_2048", "RSA_3072", "RSA_4096"})
    void rsaKeysSignPkcs1SignaturesThatTheJdkVerifies(KeySpec spec) throws Exception {
        KmsSigner signer = signers.get(spec);

        byte[] signature = signer.sign(DATA);

        assertThat(signer.algorithm()).isEqualTo(SignatureAlgorithm.RS256);
        assertThat(signer.publicKey()).isEqualTo(keys.get(spec).publicKey().orElseThrow());
        assertThat(signature).hasSize(bits(spec) / 8);
        assertThat(EmulatedKms.verifiesWithJca("SHA256withRSA", signer.publicKey(), DATA, signature)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = KeySpec.class, names = {"ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "RSA_2048", "RSA_3072", "RSA_4096"})
    void theAlgorithmFollowsTheKeySpec(KeySpec spec) {
        SignatureAlgorithm expected = switch (spec) {
            case ECC_NIST_P256 -> SignatureAlgorithm.ES256;
            case ECC_NIST_P384 -> SignatureAlgorithm.ES384;
            case ECC_NIST_P521 -> SignatureAlgorithm.ES512;
            default -> SignatureAlgorithm.RS256;
        };

        assertThat(signers.get(spec).algorithm()).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(value = KeySpec.class, names = {"ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "RSA_2048", "RSA_3072", "RSA_4096"})
    void eachSignatureIsOneSignRequestCarryingTheLocallyComputedDigestForTheKeyArn(KeySpec spec) throws Exception {
        KmsSigner signer = signers.get(spec);
        int before = EmulatedKms.signRequests(kms).size();

        signer.sign(DATA);

        List<KmsEmulator.Request> signs = EmulatedKms.signRequests(kms);
        assertThat(signs).hasSize(before + 1);
        KmsEmulator.Request sign = signs.get(signs.size() - 1);
        byte[] digest = MessageDigest.getInstance(signer.algorithm().digestName()).digest(DATA);
        assertThat(sign.member("MessageType")).hasValue("DIGEST");
        assertThat(sign.member("Message")).hasValue(EmulatedKms.base64(digest));
        assertThat(sign.member("KeyId")).hasValue(keys.get(spec).arn());
        assertThat(sign.member("SigningAlgorithm")).hasValue(spec.name().startsWith("RSA")
                ? "RSASSA_PKCS1_V1_5_SHA_256" : "ECDSA_SHA_" + signer.algorithm().digestName().substring(4));
    }

    @ParameterizedTest
    @EnumSource(value = KeySpec.class, names = {"ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "RSA_2048", "RSA_3072", "RSA_4096"})
    void aCsrSignedInKmsCarriesTheKmsPublicKeyAndVerifies(KeySpec spec) throws Exception {
        KmsSigner signer = signers.get(spec);

        Csr csr = Csr.builder().domains("kms.keyward.test").build(signer);

        PKCS10CertificationRequest request = new PKCS10CertificationRequest(csr.der());
        assertThat(csr.publicKey()).isEqualTo(keys.get(spec).publicKey().orElseThrow());
        assertThat(request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(signer.publicKey()))).isTrue();
        assertThat(Csr.fromDer(csr.der()).publicKey()).isEqualTo(signer.publicKey());
    }

    private static int bits(KeySpec spec) {
        return Integer.parseInt(spec.name().substring("RSA_".length()));
    }
}
