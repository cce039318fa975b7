package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The signed requests as a server receives them (RFC 8555 section 6.2), checked with jose4j, a
 * second JOSE implementation, for every algorithm Keyward signs with.
 */
class JwsRequestsTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String ORDER = "/my-order/TOlocE8rfgo";

    @BeforeEach
    void stubServer() {
        acme.stubBasics();
        acme.stubResource(ORDER, "order-pending.json");
    }

    @ParameterizedTest
    @EnumSource(TestKeys.class)
    void newAccountIsAFlattenedJwsWithTheJwkAndNoKid(TestKeys keys) throws Exception {
        acme.account(acme.client(), keys.signer());

        SignedRequest request = SignedRequest.parse(acme.postBodies("/sign-me-up").get(0));

        assertThat(request.members()).containsExactlyInAnyOrder("protected", "payload", "signature");
        assertThat(request.header("alg")).isEqualTo(keys.jwsAlgorithm);
        assertThat(request.hasHeader("kid")).isFalse();
        PublicJsonWebKey jwk = request.jwk();
        assertThat(jwk.getPublicKey()).isEqualTo(keys.keyPair().getPublic());
        assertThat(jwk.getPrivateKey()).isNull();
        assertThat(request.header("url")).isEqualTo(acme.url("/sign-me-up").toString());
        assertThat(request.verifiesWith(jwk.getPublicKey())).isTrue();
    }

    @ParameterizedTest
    @EnumSource(TestKeys.class)
    void laterRequestsUseTheAccountUrlAsKidAndNoJwk(TestKeys keys) throws Exception {
        Account account = acme.account(acme.client(), keys.signer());

        account.fetchOrder(acme.url(ORDER));

        SignedRequest request = SignedRequest.parse(acme.postBodies(ORDER).get(0));
        assertThat(request.members()).containsExactlyInAnyOrder("protected", "payload", "signature");
        assertThat(request.header("alg")).isEqualTo(keys.jwsAlgorithm);
        assertThat(request.header("kid")).isEqualTo(acme.url("/my-account/1").toString());
        assertThat(request.hasHeader("jwk")).isFalse();
        assertThat(request.header("url")).isEqualTo(acme.url(ORDER).toString());
        assertThat(request.verifiesWith(keys.keyPair().getPublic())).isTrue();
    }

    @ParameterizedTest
    @EnumSource(TestKeys.class)
    void aSignatureDoesNotVerifyWithAnotherKey(TestKeys keys) throws Exception {
        acme.account(acme.client(), keys.signer());

        SignedRequest request = SignedRequest.parse(acme.postBodies("/sign-me-up").get(0));

        assertThat(request.verifiesWith(keys.fresh().getPublic())).isFalse();
    }

    @Test
    void aPostAsGetHasAnEmptyPayload() throws Exception {
        Account account = acme.account(acme.client(), TestKeys.EC_P256.signer());

        account.fetchOrder(acme.url(ORDER));

        SignedRequest request = SignedRequest.parse(acme.postBodies(ORDER).get(0));
        assertThat(request.flattened.get("payload").asText()).isEmpty();
        assertThat(request.payload()).isEmpty();
        assertThat(request.verifiesWith(TestKeys.EC_P256.keyPair().getPublic())).isTrue();
    }

    @Test
    void eachRequestCarriesTheNonceOfTheAnswerBeforeIt() throws Exception {
        Account account = acme.account(acme.client(), TestKeys.EC_P256.signer());
        account.fetchOrder(acme.url(ORDER));
        account.fetchOrder(acme.url(ORDER));

        List<ReplayNonces.Exchange> exchanges = acme.exchanges().stream()
                .filter(e -> !e.method.equals("GET")).collect(Collectors.toList());
        assertThat(exchanges).extracting(e -> e.method + " " + e.path)
                .containsExactly("HEAD /nonce-plz", "POST /sign-me-up", "POST " + ORDER, "POST " + ORDER);
        for (int i = 1; i < exchanges.size(); i++) {
            String used = SignedRequest.parse(exchanges.get(i).body).header("nonce");
            assertThat(used).as("nonce of request %d", i).isEqualTo(exchanges.get(i - 1).issuedNonce);
        }
    }

    @Test
    void noNonceIsUsedTwice() throws Exception {
        Account account = acme.account(acme.client(), TestKeys.EC_P256.signer());
        for (int i = 0; i < 5; i++) {
            account.fetchOrder(acme.url(ORDER));
        }

        List<String> nonces = acme.postBodies().stream().map(b -> SignedRequest.parse(b).header("nonce"))
                .collect(Collectors.toList());

        assertThat(nonces).hasSize(6).doesNotHaveDuplicates().doesNotContainNull();
    }

    @Test
    void requestsAreSentAsJoseJsonWithAUserAgent() throws Exception {
        acme.account(acme.client(), TestKeys.EC_P256.signer());

        acme.wireMock().verify(postRequestedFor(urlEqualTo("/sign-me-up"))
                .withHeader("Content-Type", matching("application/jose\\+json.*"))
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("User-Agent", matching("keyward/\\S+.*")));
    }
}
