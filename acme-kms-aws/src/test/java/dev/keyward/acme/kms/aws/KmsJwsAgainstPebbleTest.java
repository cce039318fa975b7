package dev.keyward.acme.kms.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.Status;
import dev.keyward.acme.testkit.KmsEmulator;
import dev.keyward.acme.testkit.KmsEmulator.KeySpec;
import dev.keyward.acme.testkit.PebbleExtension;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The JWS of real ACME requests (RFC 8555 section 6.2) signed by keys in the emulated KMS, for
 * every curve and RSA size: Pebble (Go's JOSE) accepts them, and jose4j, a second JOSE
 * implementation, verifies each captured request with the key KMS holds. For ECDSA this proves
 * KMS's DER signature went into the JWS as R||S (RFC 7518 section 3.4).
 */
class KmsJwsAgainstPebbleTest {
    @RegisterExtension
    static PebbleExtension pebble = new PebbleExtension();

    private static KmsEmulator kms;

    @BeforeAll
    static void startKms() {
        kms = KmsEmulator.start();
    }

    @AfterAll
    static void stopKms() {
        kms.close();
    }

    @ParameterizedTest
    @EnumSource(value = KeySpec.class, names = {"ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "RSA_2048", "RSA_3072", "RSA_4096"})
    void pebbleAcceptsAndJose4jVerifiesEveryRequestSignedByAKmsAccountKey(KeySpec spec) throws Exception {
        KmsEmulator.Key key = kms.createKey(spec);
        JwsCapture capture = new JwsCapture();
        try (KmsSigner signer = EmulatedKms.signer(kms, key.keyId()).build();
             AcmeClient client = AcmeClient.builder(pebble.server().directoryUri())
                     .httpClient(new OkHttpClient.Builder().addInterceptor(capture).build())
                     .trustAnchors(pebble.server().trustAnchors())
                     .build()) {
            Account account = client.newAccount(signer).agreeToTermsOfService().create();
            Account fetched = account.fetch();

            assertThat(fetched.status()).isEqualTo(Status.VALID);
            List<String> bodies = capture.bodies();
            assertThat(bodies).hasSize(2);
            for (String body : bodies) {
                verifyWithJose4j(body, signer);
            }
            Map<String, Object> first = header(bodies.get(0));
            assertThat(PublicJsonWebKey.Factory.newPublicJwk(jsonObject(first.get("jwk"))).getPublicKey())
                    .isEqualTo(key.publicKey().orElseThrow());
            assertThat(header(bodies.get(1))).containsEntry("kid", account.url().toString());
        }
    }

    private static void verifyWithJose4j(String flattened, KmsSigner signer) throws Exception {
        Map<String, Object> jws = JsonUtil.parseJson(flattened);
        String compact = jws.get("protected") + "." + jws.get("payload") + "." + jws.get("signature");
        JsonWebSignature verifier = new JsonWebSignature();
        verifier.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                signer.algorithm().jwsName()));
        verifier.setCompactSerialization(compact);
        verifier.setKey(signer.publicKey());

        assertThat(verifier.verifySignature()).as("jose4j verifies %s", compact).isTrue();
        assertThat(verifier.getAlgorithmHeaderValue()).isEqualTo(signer.algorithm().jwsName());
        byte[] signature = Base64.getUrlDecoder().decode((String) jws.get("signature"));
        if (signer.algorithm().isEcdsa()) {
            assertThat(signature).as("R||S, not DER").hasSize(2 * signer.algorithm().coordinateLength());
        }
    }

    private static Map<String, Object> header(String flattened) throws Exception {
        Map<String, Object> jws = JsonUtil.parseJson(flattened);
        return JsonUtil.parseJson(new String(Base64.getUrlDecoder().decode((String) jws.get("protected")),
                java.nio.charset.StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jsonObject(Object value) {
        return (Map<String, Object>) value;
    }
}
