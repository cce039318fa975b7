package dev.keyward.acme.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Csr;
import dev.keyward.acme.SignatureAlgorithm;
import dev.keyward.acme.testkit.SoftHsmToken;
import dev.keyward.acme.testkit.SoftHsmToken.KeySpec;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jose4j.jws.EcdsaUsingShaAlgorithm;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Keys made by the former README recipe, {@code keytool -genkeypair -storetype PKCS11}: a private key
 * without a label whose {@code CKA_ID} is the alias, and a certificate labelled with the alias. RFC
 * 7512 names such a key by {@code id=}; what signs, what verifies, and what is refused.
 */
class TokenKeysTest {
    private static SoftHsmToken token;
    private static Pkcs11KeyStore store;

    @BeforeAll
    static void openToken() throws Exception {
        token = SoftHsmToken.primary();
        token.key("keys-ec256", KeySpec.EC_P256);
        token.key("keys-ec384", KeySpec.EC_P384);
        token.key("keys-ec521", KeySpec.EC_P521);
        token.key("keys-rsa2048", KeySpec.RSA_2048);
        store = TestTokens.open(token);
    }

    @AfterAll
    static void closeToken() {
        store.close();
    }

    @ParameterizedTest(name = "{0} signs {1}")
    @CsvSource({"keys-ec256, EC_P256, ES256", "keys-ec384, EC_P384, ES384", "keys-ec521, EC_P521, ES512",
            "keys-rsa2048, RSA_2048, RS256"})
    void aKeytoolKeySignsAJwsThatJose4jVerifiesWithTheKeytoolCertificatesKey(String label, KeySpec spec,
            SignatureAlgorithm algorithm) throws Exception {
        PublicKey exported = token.key(label, spec);
        AcmeSigner signer = TestTokens.keytoolKey(store, label);

        String compact = compactJws(signer, "{\"alg\":\"" + signer.algorithm().jwsName()
                + "\",\"nonce\":\"nonce-1\",\"url\":\"https://ca.test/acme/new-order\","
                + "\"kid\":\"https://ca.test/acme/acct/1\"}", "{\"identifiers\":[]}");

        assertThat(signer.algorithm()).isEqualTo(algorithm);
        assertThat(signer.publicKey()).isEqualTo(exported);
        JsonWebSignature verifier = new JsonWebSignature();
        verifier.setCompactSerialization(compact);
        verifier.setKey(exported);
        assertThat(verifier.getAlgorithmHeaderValue()).isEqualTo(algorithm.jwsName());
        assertThat(verifier.verifySignature()).isTrue();
        assertThat(verifier.getPayload()).isEqualTo("{\"identifiers\":[]}");
    }

    @Test
    void aCsrSignedInTheTokenCarriesTheTokenKeyAndVerifies() throws Exception {
        PublicKey exported = token.key("keys-ec256", KeySpec.EC_P256);

        Csr csr = Csr.builder().domains("token.keyward.test").build(TestTokens.keytoolKey(store, "keys-ec256"));

        Csr parsed = Csr.fromDer(csr.der());
        assertThat(parsed.publicKey()).isEqualTo(exported);
    }

    @Test
    void theSignatureIsTheJcaEncodingThatAStandardVerifierAccepts() throws Exception {
        AcmeSigner signer = TestTokens.keytoolKey(store, "keys-rsa2048");
        byte[] data = "data".getBytes(StandardCharsets.US_ASCII);

        byte[] signature = signer.sign(data);

        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(token.key("keys-rsa2048", KeySpec.RSA_2048));
        verifier.update(data);
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void oneSignerSignsFromManyThreadsAtOnceAndEverySignatureVerifies() throws Exception {
        AcmeSigner signer = TestTokens.keytoolKey(store, "keys-ec384");
        PublicKey publicKey = token.key("keys-ec384", KeySpec.EC_P384);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                byte[] data = ("request " + i).getBytes(StandardCharsets.US_ASCII);
                results.add(threads.submit(() -> {
                    Signature verifier = Signature.getInstance("SHA384withECDSA");
                    verifier.initVerify(publicKey);
                    verifier.update(data);
                    return verifier.verify(signer.sign(data));
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aMissingKeyLabelFailsNamingTheLabelsTheTokenHolds() {
        assertThatThrownBy(() -> store.signer("no-such-key"))
                .isInstanceOfSatisfying(Pkcs11Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Pkcs11Exception.Reason.KEY_NOT_FOUND))
                .hasMessageContaining("no private key labelled 'no-such-key'")
                .hasMessageContaining("token 'keyward-primary'")
                .hasMessageContaining("id=keys-ec256");
    }

    @Test
    void anRsaKeyOf1024BitsIsUnsupported() {
        token.key("keys-rsa1024", KeySpec.RSA_1024);

        assertThatThrownBy(() -> TestTokens.keytoolKey(store, "keys-rsa1024"))
                .isInstanceOfSatisfying(Pkcs11Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Pkcs11Exception.Reason.UNSUPPORTED_KEY))
                .hasMessageContaining("key id=keys-rsa1024")
                .hasMessageContaining("at least 2048 bits, this one has 1024");
    }

    @Test
    void aDsaKeyIsUnsupported() {
        token.key("keys-dsa", KeySpec.DSA_2048);

        assertThatThrownBy(() -> TestTokens.keytoolKey(store, "keys-dsa"))
                .isInstanceOfSatisfying(Pkcs11Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Pkcs11Exception.Reason.UNSUPPORTED_KEY))
                .hasMessageContaining("unsupported key type DSA");
    }

    @Test
    void theCertificatesLabelDoesNotNameTheKeyForObjectIsThePrivateKeysOwnLabel() throws Exception {
        // RFC 7512: object= is the CKA_LABEL of the object itself. keytool labels only the certificate.
        assertThatThrownBy(() -> store.signer("keys-ec256"))
                .isInstanceOfSatisfying(Pkcs11Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Pkcs11Exception.Reason.KEY_NOT_FOUND))
                .hasMessageContaining("its private keys: [")
                .hasMessageContaining("id=keys-ec256");
        assertThat(TestTokens.keytoolKey(store, "keys-ec256").publicKey()).isEqualTo(token.key("keys-ec256", KeySpec.EC_P256));
    }

    @Test
    void keyLabelsListsLabelledPrivateKeysOnlyForKeytoolLeavesItsKeysUnlabelled() throws Exception {
        store.generateKeyPair("keys-labelled", Pkcs11KeyType.EC_P256);

        assertThat(store.keyLabels()).contains("keys-labelled").doesNotContain("keys-ec256", "keys-rsa2048").isSorted();
    }

    @Test
    void signersOfAClosedStoreFailAsClosed() throws Exception {
        Pkcs11KeyStore own = TestTokens.open(token);
        AcmeSigner signer = TestTokens.keytoolKey(own, "keys-ec256");
        assertThat(signer.sign(new byte[] {1})).isNotEmpty();

        own.close();
        own.close();

        assertThatThrownBy(() -> signer.sign(new byte[] {1}))
                .isInstanceOfSatisfying(Pkcs11Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Pkcs11Exception.Reason.CLOSED));
        assertThatThrownBy(() -> TestTokens.keytoolKey(own, "keys-ec256")).isInstanceOf(Pkcs11Exception.class);
        assertThat(TestTokens.keytoolKey(store, "keys-ec256").sign(new byte[] {1}))
                .as("another store of the token still signs").isNotEmpty();
    }

    @Test
    void toStringNamesTheKeyAndTokenButNoSecret() throws Exception {
        AcmeSigner signer = TestTokens.keytoolKey(store, "keys-ec256");

        assertThat(signer.toString())
                .isEqualTo("Pkcs11Signer{ES256, key id=keys-ec256 in token 'keyward-primary' (slot " + token.slotId()
                        + ") of " + token.library().toRealPath() + "}")
                .doesNotContain(token.pinText());
        assertThat(store.toString()).startsWith("Pkcs11KeyStore{token 'keyward-primary'").doesNotContain(token.pinText());
    }

    /**
     * A compact JWS (RFC 7515) whose signature the token's signer makes over the encoded header and
     * payload; an ECDSA signature, DER from the JCA, goes into the JWS as R and S concatenated.
     */
    private static String compactJws(AcmeSigner signer, String header, String payload) throws Exception {
        Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
        String signingInput = base64url.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64url.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        byte[] signature = signer.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
        if (signer.algorithm().isEcdsa()) {
            signature = EcdsaUsingShaAlgorithm.convertDerToConcatenated(signature,
                    2 * signer.algorithm().coordinateLength());
        }
        return signingInput + "." + base64url.encodeToString(signature);
    }
}
