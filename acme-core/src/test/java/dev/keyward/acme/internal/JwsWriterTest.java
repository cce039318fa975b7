package dev.keyward.acme.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.AcmeSigningException;
import dev.keyward.acme.SignatureAlgorithm;
import dev.keyward.acme.Signers;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The flattened JWS of RFC 8555 section 6.2, verified by jose4j for every algorithm. */
class JwsWriterTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final URI URL = URI.create("https://example.com/acme/new-order");
    private static final URI KID = URI.create("https://example.com/acme/acct/evOfKhNU60wg");
    private static final String NONCE = "5XJ1L3lEkMG7tR6pA00clA";
    private static final String PAYLOAD = "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"www.example.org\"}]}";

    @ParameterizedTest
    @CsvSource({"RSA, RS256, 256", "secp256r1, ES256, 64", "secp384r1, ES384, 96", "secp521r1, ES512, 132"})
    void aJwkSignedRequestVerifiesWithJose4j(String kind, String alg, int signatureLength) throws Exception {
        KeyPair keys = generate(kind);
        AcmeSigner signer = Signers.jca(keys.getPrivate(), keys.getPublic());

        String flattened = JwsWriter.sign(signer, URL, NONCE, null, PAYLOAD);

        JsonNode node = MAPPER.readTree(flattened);
        assertThat(fieldNames(node)).containsExactly("protected", "payload", "signature");
        assertThat(Base64Url.decode(node.get("signature").asText())).hasSize(signatureLength);
        JsonWebSignature jws = jose4j(node, keys.getPublic());
        assertThat(jws.verifySignature()).isTrue();
        assertThat(jws.getAlgorithmHeaderValue()).isEqualTo(alg);
        assertThat(jws.getJwkHeader().getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(jws.getHeaders().getObjectHeaderValue("kid")).isNull();
        assertThat(jws.getHeaders().getStringHeaderValue("nonce")).isEqualTo(NONCE);
        assertThat(jws.getHeaders().getStringHeaderValue("url")).isEqualTo(URL.toString());
        assertThat(jws.getPayload()).isEqualTo(PAYLOAD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "secp256r1", "secp384r1", "secp521r1"})
    void aKidSignedRequestCarriesNoJwk(String kind) throws Exception {
        KeyPair keys = generate(kind);
        AcmeSigner signer = Signers.jca(keys.getPrivate(), keys.getPublic());

        JsonWebSignature jws = jose4j(MAPPER.readTree(JwsWriter.sign(signer, URL, NONCE, KID, PAYLOAD)),
                keys.getPublic());

        assertThat(jws.verifySignature()).isTrue();
        assertThat(jws.getKeyIdHeaderValue()).isEqualTo(KID.toString());
        assertThat(jws.getHeaders().getObjectHeaderValue("jwk")).isNull();
        assertThat(headerNames(jws)).containsExactly("alg", "kid", "nonce", "url");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "secp256r1", "secp384r1", "secp521r1"})
    void aSignatureFromAnotherKeyDoesNotVerify(String kind) throws Exception {
        KeyPair keys = generate(kind);
        AcmeSigner signer = Signers.jca(keys.getPrivate(), keys.getPublic());

        JsonWebSignature jws = jose4j(MAPPER.readTree(JwsWriter.sign(signer, URL, NONCE, KID, PAYLOAD)),
                generate(kind).getPublic());

        assertThat(jws.verifySignature()).isFalse();
    }

    @Test
    void theJwkHeaderHoldsOnlyPublicMembers() throws Exception {
        KeyPair keys = generate("RSA");
        AcmeSigner signer = Signers.jca(keys.getPrivate(), keys.getPublic());

        JsonWebSignature jws = jose4j(MAPPER.readTree(JwsWriter.sign(signer, URL, NONCE, null, PAYLOAD)),
                keys.getPublic());

        JsonNode jwk = MAPPER.readTree(jws.getHeaders().getFullHeaderAsJsonString()).get("jwk");
        assertThat(fieldNames(jwk)).containsExactlyInAnyOrder("kty", "n", "e");
    }

    @Test
    void aPostAsGetHasAnEmptyPayloadThatIsSigned() throws Exception {
        KeyPair keys = generate("secp256r1");
        AcmeSigner signer = Signers.jca(keys.getPrivate(), keys.getPublic());

        JsonNode node = MAPPER.readTree(JwsWriter.sign(signer, URL, NONCE, KID, null));

        assertThat(node.get("payload").asText()).isEmpty();
        JsonWebSignature jws = jose4j(node, keys.getPublic());
        assertThat(jws.verifySignature()).isTrue();
        assertThat(jws.getPayload()).isEmpty();
    }

    @Test
    void withoutANonceTheHeaderHasNoNonce() throws Exception {
        KeyPair keys = generate("secp256r1");
        AcmeSigner signer = Signers.jca(keys.getPrivate(), keys.getPublic());

        JsonWebSignature jws = jose4j(MAPPER.readTree(JwsWriter.sign(signer, URL, null, null, PAYLOAD)),
                keys.getPublic());

        assertThat(jws.verifySignature()).isTrue();
        assertThat(headerNames(jws)).containsExactly("alg", "jwk", "url");
    }

    @Test
    void aPayloadWithNonAsciiTextIsSignedAsUtf8() throws Exception {
        KeyPair keys = generate("secp256r1");
        AcmeSigner signer = Signers.jca(keys.getPrivate(), keys.getPublic());
        String payload = "{\"contact\":[\"mailto:j\u00fcrgen@b\u00fccher.example\"]}";

        JsonWebSignature jws = jose4j(MAPPER.readTree(JwsWriter.sign(signer, URL, NONCE, KID, payload)),
                keys.getPublic());

        assertThat(jws.verifySignature()).isTrue();
        assertThat(jws.getPayload()).isEqualTo(payload);
    }

    @Test
    void aGivenHeaderIsSignedAsIs() throws Exception {
        KeyPair keys = generate("secp384r1");
        AcmeSigner signer = Signers.jca(keys.getPrivate(), keys.getPublic());
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "ES384");
        header.put("jwk", Jwks.toJsonObject(keys.getPublic()));
        header.put("url", "https://example.com/acme/key-change");

        JsonWebSignature jws = jose4j(MAPPER.readTree(JwsWriter.signWithHeader(signer, header, "{\"account\":\"x\"}")),
                keys.getPublic());

        assertThat(jws.verifySignature()).isTrue();
        assertThat(headerNames(jws)).containsExactly("alg", "jwk", "url");
        assertThat(jws.getPayload()).isEqualTo("{\"account\":\"x\"}");
    }

    @Test
    void anEcdsaSignerThatReturnsNoDerIsASigningFailure() throws Exception {
        KeyPair keys = generate("secp256r1");
        AcmeSigner broken = new FixedSigner(SignatureAlgorithm.ES256, keys.getPublic(), new byte[64]);

        assertThatThrownBy(() -> JwsWriter.sign(broken, URL, NONCE, KID, PAYLOAD))
                .isInstanceOf(AcmeSigningException.class)
                .hasMessageContaining("ES256");
    }

    @Test
    void aFailingSignerFailsTheRequestWithItsOwnException() throws Exception {
        KeyPair keys = generate("secp256r1");
        AcmeSigningException failure = new AcmeSigningException("HSM is offline", null);
        AcmeSigner offline = new FixedSigner(SignatureAlgorithm.ES256, keys.getPublic(), null) {
            @Override
            public byte[] sign(byte[] data) throws AcmeSigningException {
                throw failure;
            }
        };

        assertThatThrownBy(() -> JwsWriter.sign(offline, URL, NONCE, KID, PAYLOAD)).isSameAs(failure);
    }

    private static JsonWebSignature jose4j(JsonNode flattened, PublicKey key) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(flattened.get("protected").asText() + "." + flattened.get("payload").asText()
                + "." + flattened.get("signature").asText());
        jws.setKey(key);
        return jws;
    }

    private static List<String> headerNames(JsonWebSignature jws) throws Exception {
        return fieldNames(MAPPER.readTree(jws.getHeaders().getFullHeaderAsJsonString()));
    }

    private static List<String> fieldNames(JsonNode node) {
        return StreamSupport.stream(((Iterable<String>) node::fieldNames).spliterator(), false)
                .collect(Collectors.toList());
    }

    private static KeyPair generate(String kind) throws GeneralSecurityException {
        if (kind.equals("RSA")) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(kind));
        return g.generateKeyPair();
    }

    /** A signer that answers every request with the same bytes, as a broken KMS would. */
    private static class FixedSigner implements AcmeSigner {
        private final SignatureAlgorithm algorithm;
        private final PublicKey publicKey;
        private final byte[] signature;

        FixedSigner(SignatureAlgorithm algorithm, PublicKey publicKey, byte[] signature) {
            this.algorithm = algorithm;
            this.publicKey = publicKey;
            this.signature = signature;
        }

        @Override
        public SignatureAlgorithm algorithm() {
            return algorithm;
        }

        @Override
        public PublicKey publicKey() {
            return publicKey;
        }

        @Override
        public byte[] sign(byte[] data) throws AcmeSigningException {
            return signature.clone();
        }
    }
}
