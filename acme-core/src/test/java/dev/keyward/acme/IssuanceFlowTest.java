package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The issuance flow ({@link Account#issue(IssuanceRequest)}, RFC 8555 section 7.4) in the CA
 * behaviours Pebble cannot be made to show: a challenge already being validated, a deadline that
 * passes while the CA dawdles, a finalize whose answer is lost, no solver that fits.
 */
class IssuanceFlowTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String ORDER = "/my-order/TOlocE8rfgo";
    private static final String FINALIZE = "/finalize-order/TOlocE8rfgo";
    private static final String CERTIFICATE = "/certZ/mAt3xBGaobw";
    private static final String WWW_AUTHZ = "/authZ/PAniVnsZcis";
    private static final String APEX_AUTHZ = "/authZ/r4HqLzrSrpI";
    private static final String WWW_HTTP01 = "/chalZ/prV_B7yEyA4";
    private static final String APEX_HTTP01 = "/chalZ/cNW1AbX9O5Q";

    private final FakeClock clock = new FakeClock(java.time.Instant.now());
    private final AcmeSigner certificateKey = TestKeys.EC_P384.signer();
    private final RecordingSolver solver = new RecordingSolver("http-01");
    private Account account;

    @BeforeEach
    void createAccount() throws Exception {
        acme.stubBasics();
        account = acme.account(acme.client(clock), TestKeys.EC_P256.signer());
    }

    @Test
    void aChallengeTheCaIsAlreadyValidatingIsDeployedAndPolledButNotAnsweredAgain() throws Exception {
        acme.stubResource(ORDER, "order-pending.json");
        stubInTurn(WWW_AUTHZ, acme.fixture("authz-pending.json", json -> json.withArray("challenges")
                .forEach(c -> ((ObjectNode) c).put("status", "processing"))), valid("authz-pending.json"));
        acme.stubResource(APEX_AUTHZ, "authz-valid.json");
        stubFinalizeAndCertificate();

        IssuanceResult result = account.issue(request().resumeOrder(acme.url(ORDER)).build());

        assertThat(result.chain().leaf().getPublicKey()).isEqualTo(certificateKey.publicKey());
        acme.wireMock().verify(0, postRequestedFor(urlEqualTo(WWW_HTTP01)));
        assertThat(solver.deployed).containsExactly("DGyRejmCefe7v4NfDGDKfA");
        assertThat(solver.removed).containsExactly("DGyRejmCefe7v4NfDGDKfA");
    }

    @Test
    void everyAnswerIsDeployedBeforeAnyChallengeIsAnsweredAndRemovedAfterwards() throws Exception {
        acme.stubResource(ORDER, "order-pending.json");
        stubInTurn(WWW_AUTHZ, acme.fixture("authz-pending.json"), valid("authz-pending.json"));
        stubInTurn(APEX_AUTHZ, acme.fixture("authz-example-org-pending.json"), valid("authz-example-org-pending.json"));
        List<String> seenByCa = Collections.synchronizedList(new ArrayList<>());
        for (String challenge : List.of(WWW_HTTP01, APEX_HTTP01)) {
            acme.wireMock().stubFor(post(urlEqualTo(challenge)).willReturn(FakeAcmeServer.json(200,
                    "{\"type\":\"http-01\",\"url\":\"" + acme.url(challenge) + "\",\"status\":\"processing\","
                            + "\"token\":\"t\"}")));
        }
        solver.onDeploy = () -> seenByCa.add("deployed while " + acme.postBodies(WWW_HTTP01).size() + "+"
                + acme.postBodies(APEX_HTTP01).size() + " challenges were answered");
        stubFinalizeAndCertificate();

        account.issue(request().resumeOrder(acme.url(ORDER)).build());

        assertThat(seenByCa).containsExactly("deployed while 0+0 challenges were answered",
                "deployed while 0+0 challenges were answered");
        assertThat(acme.postBodies(WWW_HTTP01)).hasSize(1);
        assertThat(acme.postBodies(APEX_HTTP01)).hasSize(1);
        assertThat(solver.removed).containsExactlyInAnyOrderElementsOf(solver.deployed).hasSize(2);
    }

    @Test
    void theDeadlineEndsTheWholeIssuanceWithATypedTimeoutAndTheAnswersAreRemoved() throws Exception {
        acme.stubResource(ORDER, "order-pending.json");
        acme.stubResource(WWW_AUTHZ, "authz-pending.json");
        acme.stubResource(APEX_AUTHZ, "authz-valid.json");
        acme.wireMock().stubFor(post(urlEqualTo(WWW_HTTP01)).willReturn(FakeAcmeServer.json(200,
                acme.fixture("challenge-http-01-processing.json"))));

        assertThatThrownBy(() -> account.issue(request().resumeOrder(acme.url(ORDER))
                .deadline(Duration.ofSeconds(20)).build()))
                .isInstanceOf(AcmeTimeoutException.class);

        Duration waited = clock.sleeps().stream().reduce(Duration.ZERO, Duration::plus);
        assertThat(waited).isLessThanOrEqualTo(Duration.ofSeconds(20));
        assertThat(solver.removed).containsExactlyElementsOf(solver.deployed).hasSize(1);
        acme.wireMock().verify(0, postRequestedFor(urlEqualTo(FINALIZE)));
    }

    @Test
    void anAuthorizationTheOrderListsTwiceIsFetchedAnsweredAndRemovedOnce() throws Exception {
        acme.wireMock().stubFor(post(urlEqualTo(ORDER)).willReturn(FakeAcmeServer.json(200,
                acme.fixture("order-pending.json", json -> json.putArray("authorizations")
                        .add(acme.url(WWW_AUTHZ).toString()).add(acme.url(WWW_AUTHZ).toString())
                        .add(acme.url(APEX_AUTHZ).toString())))));
        stubInTurn(WWW_AUTHZ, acme.fixture("authz-pending.json"), acme.fixture("authz-pending.json"),
                valid("authz-pending.json"));
        acme.stubResource(APEX_AUTHZ, "authz-valid.json");
        acme.wireMock().stubFor(post(urlEqualTo(WWW_HTTP01)).willReturn(FakeAcmeServer.json(200,
                acme.fixture("challenge-http-01-processing.json"))));
        stubFinalizeAndCertificate();

        IssuanceResult result = account.issue(request().resumeOrder(acme.url(ORDER)).build());

        assertThat(result.order().authorizationUrls()).containsExactly(acme.url(WWW_AUTHZ), acme.url(APEX_AUTHZ));
        assertThat(solver.deployed).containsExactly("DGyRejmCefe7v4NfDGDKfA");
        assertThat(solver.removed).containsExactly("DGyRejmCefe7v4NfDGDKfA");
        assertThat(acme.postBodies(WWW_HTTP01)).as("the challenge is answered once").hasSize(1);
    }

    @Test
    void aFinalizeWhoseAnswerWasLostIsNotSentAgainOnceTheOrderHasMovedOn() throws Exception {
        stubInTurn(ORDER, acme.fixture("order-ready.json"), acme.fixture("order-processing.json"),
                acme.fixture("order-valid.json"));
        acme.wireMock().stubFor(post(urlEqualTo(FINALIZE)).willReturn(aResponse().withStatus(502)
                .withHeader("Content-Type", "text/html").withBody("<html>bad gateway</html>")));
        stubCertificate();

        IssuanceResult result = account.issue(request().resumeOrder(acme.url(ORDER)).build());

        assertThat(result.order().status()).isEqualTo(Status.VALID);
        assertThat(acme.postBodies(FINALIZE)).as("the CSR is sent once").hasSize(1);
        assertThat(solver.deployed).isEmpty();
    }

    @Test
    void aChainWhoseLeafNamesAnotherIdentifierIsRefused() throws Exception {
        stubInTurn(ORDER, acme.fixture("order-valid.json"));
        stubCertificate(TestCertificates.chain(certificateKey.publicKey(), "www.example.org", "evil.example"));

        assertThatThrownBy(() -> account.issue(request().resumeOrder(acme.url(ORDER)).build()))
                .isInstanceOf(AcmeProtocolException.class).hasMessageContaining("dns:evil.example")
                .hasMessageContaining("not the requested");
    }

    @Test
    void aChainWhoseCertificatesDoNotSignEachOtherIsRefused() throws Exception {
        stubInTurn(ORDER, acme.fixture("order-valid.json"));
        List<X509Certificate> genuine = TestCertificates.chain(certificateKey.publicKey(), "www.example.org",
                "example.org");
        List<X509Certificate> other = TestCertificates.chain(certificateKey.publicKey(), "www.example.org",
                "example.org");
        stubCertificate(List.of(genuine.get(0), other.get(1)));

        assertThatThrownBy(() -> account.issue(request().resumeOrder(acme.url(ORDER)).build()))
                .isInstanceOf(AcmeProtocolException.class).hasMessageContaining("not signed by the next one");
    }

    @Test
    void anOrderTheCaAnswersForOtherIdentifiersIsRefusedBeforeItIsFinalized() throws Exception {
        acme.wireMock().stubFor(post(urlEqualTo("/order-plz")).willReturn(FakeAcmeServer.json(201,
                acme.fixture("order-ready.json", json -> json.withArray("identifiers").addObject()
                        .put("type", "dns").put("value", "extra.example.org")))
                .withHeader("Location", acme.base() + ORDER)));

        assertThatThrownBy(() -> account.issue(request().build()))
                .isInstanceOf(AcmeProtocolException.class).hasMessageContaining("extra.example.org");
        acme.wireMock().verify(0, postRequestedFor(urlEqualTo(FINALIZE)));
    }

    @Test
    void anAuthorizationNoSolverCanProveIsATypedErrorNamingWhatTheCaOffers() throws Exception {
        acme.stubResource(ORDER, "order-pending.json");
        acme.stubResource(WWW_AUTHZ, "authz-pending.json");
        acme.stubResource(APEX_AUTHZ, "authz-valid.json");
        RecordingSolver dnsAccount = new RecordingSolver("dns-account-01");

        assertThatThrownBy(() -> account.issue(request().solvers(dnsAccount).resumeOrder(acme.url(ORDER)).build()))
                .isInstanceOf(AcmeNoSolverException.class)
                .hasMessageContaining("www.example.org")
                .hasMessageContaining("[dns-01, http-01, onion-csr-01, tls-alpn-01]")
                .hasMessageContaining("[dns-account-01]");
        assertThat(dnsAccount.deployed).isEmpty();
    }

    @Test
    void theFirstSolverThatFitsIsUsedInTheCallersOrder() throws Exception {
        acme.stubResource(ORDER, "order-pending.json");
        stubInTurn(WWW_AUTHZ, acme.fixture("authz-pending.json"), valid("authz-pending.json"));
        acme.stubResource(APEX_AUTHZ, "authz-valid.json");
        acme.stubResource("/chalZ/Rg5dV14Gh1Q", "challenge-http-01-processing.json");
        RecordingSolver dns = new RecordingSolver("dns-01");
        stubFinalizeAndCertificate();

        account.issue(request().solvers(new RecordingSolver("dns-account-01"), dns, solver)
                .resumeOrder(acme.url(ORDER)).build());

        assertThat(dns.deployed).hasSize(1);
        assertThat(solver.deployed).isEmpty();
    }

    @Test
    void aResumedOrderForOtherIdentifiersIsRefusedBeforeAnythingIsSent() throws Exception {
        acme.stubResource(ORDER, "order-ready.json");

        assertThatThrownBy(() -> account.issue(IssuanceRequest.builder().domains("other.example.org")
                .certificateKey(certificateKey).solvers(solver).resumeOrder(acme.url(ORDER)).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other.example.org");
        acme.wireMock().verify(0, postRequestedFor(urlEqualTo(FINALIZE)));
    }

    @Test
    void theAccountKeyIsRefusedAsTheCertificateKey() {
        assertThatThrownBy(() -> account.issue(IssuanceRequest.builder().domains("www.example.org")
                .certificateKey(account.signer()).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("11.1");
    }

    private IssuanceRequest.Builder request() {
        return IssuanceRequest.builder().domains("www.example.org", "example.org").certificateKey(certificateKey)
                .solvers(solver);
    }

    private String valid(String authzFixture) {
        return acme.fixture(authzFixture, json -> {
            json.put("status", "valid");
            json.withArray("challenges").forEach(c -> ((ObjectNode) c).put("status", "valid"));
        });
    }

    /** Answers the POSTs to {@code path} with the bodies in turn, the last one from then on. */
    private static void stubInTurn(String path, String... bodies) {
        for (int i = 0; i < bodies.length; i++) {
            String state = i == 0 ? STARTED : "answer " + i;
            var mapping = post(urlEqualTo(path)).inScenario(path).whenScenarioStateIs(state)
                    .willReturn(FakeAcmeServer.json(200, bodies[i]));
            if (i + 1 < bodies.length) {
                mapping = mapping.willSetStateTo("answer " + (i + 1));
            }
            acme.wireMock().stubFor(mapping);
        }
    }

    private void stubFinalizeAndCertificate() {
        acme.wireMock().stubFor(post(urlEqualTo(FINALIZE)).willReturn(FakeAcmeServer.json(200,
                acme.fixture("order-valid.json"))));
        stubCertificate();
    }

    private void stubCertificate() {
        stubCertificate(TestCertificates.chain(certificateKey.publicKey(), "www.example.org", "example.org"));
    }

    private void stubCertificate(List<X509Certificate> issued) {
        acme.wireMock().stubFor(post(urlEqualTo(CERTIFICATE)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/pem-certificate-chain")
                .withBody(TestCertificates.pem(issued))));
    }

    /** A solver of one challenge type that records what it deployed and removed, by token. */
    private static final class RecordingSolver implements ChallengeSolver {
        final String type;
        final List<String> deployed = Collections.synchronizedList(new ArrayList<>());
        final List<String> removed = Collections.synchronizedList(new ArrayList<>());
        Runnable onDeploy = () -> { };

        RecordingSolver(String type) {
            this.type = type;
        }

        @Override
        public Set<String> challengeTypes() {
            return Set.of(type);
        }

        @Override
        public void deploy(Challenge challenge) {
            onDeploy.run();
            deployed.add(challenge.token().orElseThrow());
        }

        @Override
        public void remove(Challenge challenge) {
            removed.add(challenge.token().orElseThrow());
        }
    }
}
