package dev.keyward.acme.kms.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Csr;
import dev.keyward.acme.Signers;
import dev.keyward.acme.testkit.PebbleExtension;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Against real AWS KMS: runs only when {@code KEYWARD_KMS_KEY_ID} names an asymmetric
 * {@code SIGN_VERIFY} key (key id, ARN or {@code alias/NAME}), with credentials and a region the
 * SDK finds as usual ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/{@code AWS_SESSION_TOKEN}
 * or {@code AWS_PROFILE}, and {@code AWS_REGION}); the instance-metadata service is off in tests.
 * Otherwise JUnit reports it skipped, with the reason below. It signs with the live key, checks the
 * signature with the JDK and jose4j, builds a CSR with it, and issues a certificate from a local
 * Pebble with the live key as the account key; the certificate key is {@code KEYWARD_KMS_CERTIFICATE_KEY_ID}
 * when set (a second KMS key: RFC 8555 section 11.1 wants it to differ from the account key), else an
 * in-memory key. The caller needs {@code kms:GetPublicKey} and {@code kms:Sign}; each run costs a
 * handful of KMS requests.
 */
@EnabledIfEnvironmentVariable(named = "KEYWARD_KMS_KEY_ID", matches = ".+",
        disabledReason = "skipped: set KEYWARD_KMS_KEY_ID (and AWS credentials and region) to test against real AWS KMS")
class KmsLiveTest {
    @RegisterExtension
    static PebbleExtension pebble = new PebbleExtension();

    private static KmsSigner signer;

    @BeforeAll
    static void connect() throws Exception {
        signer = KmsSigners.builder().keyId(System.getenv("KEYWARD_KMS_KEY_ID")).build();
    }

    @AfterAll
    static void close() {
        if (signer != null) {
            signer.close();
        }
    }

    @Test
    void theLiveKeySignsWhatTheJdkVerifiesAndACsr() throws Exception {
        byte[] data = "keyward live KMS test".getBytes(StandardCharsets.US_ASCII);

        byte[] signature = signer.sign(data);
        Csr csr = Csr.builder().domains("live.kms.keyward.test").build(signer);

        assertThat(signer.keyArn()).startsWith("arn:aws");
        assertThat(EmulatedKms.verifiesWithJca(signer.algorithm().jcaName(), signer.publicKey(), data, signature)).isTrue();
        assertThat(Csr.fromDer(csr.der()).publicKey()).isEqualTo(signer.publicKey());
    }

    @Test
    void theLiveKeyRegistersAnAccountWhoseJwsJose4jVerifiesAndIssuesACertificate() throws Exception {
        JwsCapture capture = new JwsCapture();
        String certificateKeyId = System.getenv("KEYWARD_KMS_CERTIFICATE_KEY_ID");
        AcmeSigner certificateKey = certificateKeyId == null || certificateKeyId.isEmpty()
                ? memoryKey() : KmsSigners.builder().keyId(certificateKeyId).build();
        try (AcmeClient client = AcmeClient.builder(pebble.server().directoryUri())
                .httpClient(new OkHttpClient.Builder().addInterceptor(capture).build())
                .trustAnchors(pebble.server().trustAnchors())
                .build()) {
            KmsPebbleFlow flow = new KmsPebbleFlow(pebble.server());
            Account account = flow.register(client, signer);
            CertificateChain chain = flow.issue(account, List.of(KmsPebbleFlow.uniqueName("live")), certificateKey);

            assertThat(chain.leaf().getPublicKey()).isEqualTo(certificateKey.publicKey());
            Map<String, Object> jws = JsonUtil.parseJson(capture.bodies().get(0));
            JsonWebSignature verifier = new JsonWebSignature();
            verifier.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                    signer.algorithm().jwsName()));
            verifier.setCompactSerialization(jws.get("protected") + "." + jws.get("payload") + "." + jws.get("signature"));
            verifier.setKey(signer.publicKey());
            assertThat(verifier.verifySignature()).isTrue();
            assertThat(Base64.getUrlDecoder().decode((String) jws.get("signature")))
                    .hasSize(signer.algorithm().isEcdsa() ? 2 * signer.algorithm().coordinateLength()
                            : ((java.security.interfaces.RSAPublicKey) signer.publicKey()).getModulus().bitLength() / 8);
        } finally {
            if (certificateKey instanceof KmsSigner) {
                ((KmsSigner) certificateKey).close();
            }
        }
    }

    private static AcmeSigner memoryKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        return Signers.jca(pair.getPrivate(), pair.getPublic());
    }
}
