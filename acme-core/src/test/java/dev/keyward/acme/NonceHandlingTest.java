package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Replay nonces (RFC 8555 sections 6.5 and 7.2): the pool, {@code newNonce}, and {@code badNonce} retries. */
class NonceHandlingTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String ORDER = "/my-order/TOlocE8rfgo";
    private static final String NONCE_OF_THE_ERROR = "zpg-_OeF9d0HJWvV7VfUAg";

    private final AcmeSigner key = TestKeys.EC_P256.signer();

    @BeforeEach
    void stubServer() {
        acme.stubBasics();
        acme.stubResource(ORDER, "order-pending.json");
    }

    @Test
    void newNonceIsAskedForOnlyWhenThePoolIsEmpty() throws Exception {
        AcmeClient client = acme.client();
        assertThat(client.pooledNonces()).isZero();

        Account account = acme.account(client, key);
        acme.wireMock().verify(1, headRequestedFor(urlEqualTo("/nonce-plz")));
        assertThat(client.pooledNonces()).isEqualTo(1);

        account.fetchOrder(acme.url(ORDER));
        account.fetchOrder(acme.url(ORDER));
        account.fetchOrder(acme.url(ORDER));

        acme.wireMock().verify(1, headRequestedFor(urlEqualTo("/nonce-plz")));
        assertThat(client.pooledNonces()).isEqualTo(1);
    }

    @Test
    void aNonceFromTheDirectoryResponseSavesTheHeadRequest() throws Exception {
        acme.wireMock().stubFor(get(urlEqualTo("/dir"))
                .willReturn(FakeAcmeServer.json(200, acme.fixture("directory.json"))
                        .withHeader("Replay-Nonce", "ZGlyZWN0b3J5LW5vbmNl")));

        acme.account(acme.client(), key);

        acme.wireMock().verify(0, headRequestedFor(urlEqualTo("/nonce-plz")));
        assertThat(SignedRequest.parse(acme.postBodies("/sign-me-up").get(0)).header("nonce"))
                .isEqualTo("ZGlyZWN0b3J5LW5vbmNl");
    }

    @Test
    void aReplayNonceThatIsNotBase64urlIsNotPooledSoTheNextRequestAsksForANewOne() throws Exception {
        Account account = acme.account(acme.client(), key);
        acme.wireMock().stubFor(post(urlEqualTo(ORDER)).willReturn(FakeAcmeServer.json(200,
                acme.fixture("order-pending.json")).withHeader("Replay-Nonce", "not a nonce!")));

        account.fetchOrder(acme.url(ORDER));
        account.fetchOrder(acme.url(ORDER));

        acme.wireMock().verify(2, headRequestedFor(urlEqualTo("/nonce-plz")));
        assertThat(acme.postBodies(ORDER)).extracting(b -> SignedRequest.parse(b).header("nonce"))
                .doesNotContain("not a nonce!");
    }

    @Test
    void aNonceIsNeverSentTwiceEvenWhenThePoolRunsDry() throws Exception {
        Account account = acme.account(acme.client(), key);
        acme.wireMock().stubFor(post(urlEqualTo(ORDER)).willReturn(FakeAcmeServer.json(200,
                acme.fixture("order-pending.json")).withHeader("Replay-Nonce", "not a nonce!")));

        for (int i = 0; i < 3; i++) {
            account.fetchOrder(acme.url(ORDER));
        }

        List<String> sent = acme.postBodies().stream().map(b -> SignedRequest.parse(b).header("nonce"))
                .collect(Collectors.toList());
        assertThat(sent).hasSize(4).doesNotHaveDuplicates();
    }

    @Test
    void badNonceIsRetriedWithTheNonceFromTheError() throws Exception {
        Account account = acme.account(acme.client(), key);
        acme.wireMock().stubFor(post(urlEqualTo(ORDER)).inScenario("badNonce").whenScenarioStateIs(STARTED)
                .willReturn(FakeAcmeServer.problem(400, Fixtures.text("problem-bad-nonce.json"))
                        .withHeader("Replay-Nonce", NONCE_OF_THE_ERROR))
                .willSetStateTo("retried"));
        acme.wireMock().stubFor(post(urlEqualTo(ORDER)).inScenario("badNonce").whenScenarioStateIs("retried")
                .willReturn(FakeAcmeServer.json(200, acme.fixture("order-pending.json"))));

        Order order = account.fetchOrder(acme.url(ORDER));

        assertThat(order.status()).isEqualTo(Status.PENDING);
        List<String> bodies = acme.postBodies(ORDER);
        assertThat(bodies).hasSize(2);
        assertThat(SignedRequest.parse(bodies.get(1)).header("nonce")).isEqualTo(NONCE_OF_THE_ERROR);
        assertThat(SignedRequest.parse(bodies.get(1)).verifiesWith(key.publicKey())).isTrue();
        acme.wireMock().verify(1, headRequestedFor(urlEqualTo("/nonce-plz")));
    }

    @Test
    void badNonceRetriesAreBoundedToOnePlusTwentyFiveAttempts() throws Exception {
        Account account = acme.account(acme.client(), key);
        acme.wireMock().stubFor(post(urlEqualTo(ORDER))
                .willReturn(FakeAcmeServer.problem(400, Fixtures.text("problem-bad-nonce.json"))));

        assertThatThrownBy(() -> account.fetchOrder(acme.url(ORDER)))
                .isExactlyInstanceOf(AcmeServerException.class)
                .satisfies(e -> assertThat(((AcmeServerException) e).problem().isAcmeError("badNonce")).isTrue());
        acme.wireMock().verify(1 + 25, postRequestedFor(urlEqualTo(ORDER)));
        assertThat(AcmeClient.DEFAULT_MAX_BAD_NONCE_RETRIES).isEqualTo(25);
    }

    @Test
    void theRetryBoundIsConfigurable() throws Exception {
        AcmeClient client = AcmeClient.builder(acme.directoryUrl()).allowPlainHttp(true).maxBadNonceRetries(20).build();
        Account account = acme.account(client, key);
        acme.wireMock().stubFor(post(urlEqualTo(ORDER))
                .willReturn(FakeAcmeServer.problem(400, Fixtures.text("problem-bad-nonce.json"))));

        assertThatThrownBy(() -> account.fetchOrder(acme.url(ORDER))).isInstanceOf(AcmeServerException.class);

        acme.wireMock().verify(1 + 20, postRequestedFor(urlEqualTo(ORDER)));
    }

    @Test
    void everyRetryUsesAFreshNonce() throws Exception {
        Account account = acme.account(acme.client(), key);
        acme.wireMock().stubFor(post(urlEqualTo(ORDER))
                .willReturn(FakeAcmeServer.problem(400, Fixtures.text("problem-bad-nonce.json"))));

        assertThatThrownBy(() -> account.fetchOrder(acme.url(ORDER))).isInstanceOf(AcmeServerException.class);

        List<String> nonces = acme.postBodies(ORDER).stream().map(b -> SignedRequest.parse(b).header("nonce"))
                .collect(Collectors.toList());
        assertThat(nonces).hasSize(26).doesNotHaveDuplicates();
    }

    @Test
    void anotherErrorIsNotRetried() throws Exception {
        Account account = acme.account(acme.client(), key);
        acme.wireMock().stubFor(post(urlEqualTo(ORDER))
                .willReturn(FakeAcmeServer.problem(400, Fixtures.text("problem-malformed.json"))));

        assertThatThrownBy(() -> account.fetchOrder(acme.url(ORDER))).isInstanceOf(AcmeServerException.class);

        acme.wireMock().verify(1, postRequestedFor(urlEqualTo(ORDER)));
    }

    @Test
    void aNewNonceAnswerWithoutReplayNonceIsAProtocolError() {
        acme.wireMock().stubFor(head(urlEqualTo("/nonce-plz"))
                .willReturn(aResponse().withStatus(200).withHeader("Replay-Nonce", "")));

        assertThatThrownBy(() -> acme.account(acme.client(), key))
                .isInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining("Replay-Nonce")
                .hasMessageContaining("/nonce-plz");
        acme.wireMock().verify(0, postRequestedFor(urlEqualTo("/sign-me-up")));
    }
}
