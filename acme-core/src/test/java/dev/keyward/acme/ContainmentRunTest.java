package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.ContainmentReport.Item;
import dev.keyward.acme.ContainmentReport.Outcome;
import dev.keyward.acme.ContainmentReport.Step;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Containment} as its Javadoc promises: a built containment is immutable, every
 * {@link Containment#run()} reports only what that run found and did, and whether a certificate
 * is still unexpired (and so worth revoking, RFC 8555 section 7.6) is judged by the client's
 * {@link AcmeClock}, not the machine's.
 *
 * <p>The CA: one account with one valid order (two authorizations, both deactivated already, and
 * a certificate), revocation and account deactivation accepted.
 */
class ContainmentRunTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String ORDERS = "/list-orderz/1";
    private static final String ORDER = "/my-order/1";
    private static final List<String> AUTHORIZATIONS = List.of("/authZ/PAniVnsZcis", "/authZ/r4HqLzrSrpI");
    private static final String CERTIFICATE = "/certZ/mAt3xBGaobw";
    private static final String REVOKE = "/revoke-cert";

    private final AcmeSigner accountKey = TestKeys.EC_P256.signer();
    private X509Certificate leaf;

    @BeforeEach
    void stubCa() {
        acme.stubBasics();
        acme.wireMock().stubFor(post(urlEqualTo(ORDERS)).willReturn(FakeAcmeServer.json(200,
                "{\"orders\":[\"" + acme.url(ORDER) + "\"]}")));
        acme.stubResource(ORDER, "order-valid.json");
        for (String authorization : AUTHORIZATIONS) {
            acme.wireMock().stubFor(post(urlEqualTo(authorization)).willReturn(FakeAcmeServer.json(200,
                    acme.fixture("authz-valid.json", json -> json.put("status", "deactivated")))));
        }
        List<X509Certificate> chain = TestCertificates.chain(TestKeys.EC_P384.signer().publicKey(),
                "www.example.org", "example.org");
        leaf = chain.get(0);
        acme.wireMock().stubFor(post(urlEqualTo(CERTIFICATE)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/pem-certificate-chain")
                .withBody(TestCertificates.pem(chain))));
        acme.wireMock().stubFor(post(urlEqualTo(REVOKE)).willReturn(aResponse().withStatus(200)));
        acme.stubResource(FakeAcmeServer.ACCOUNT, "account-deactivated.json");
    }

    @Test
    void runningTheSameContainmentTwiceGivesASecondReportWithOnlyTheSecondRunsItems() {
        Containment containment = Containment.builder(acme.client(), accountKey).deactivateAccount().build();
        List<Step> oneRun = List.of(Step.ACCOUNT_LOOKUP, Step.ORDERS_LIST, Step.AUTHORIZATION_DEACTIVATION,
                Step.AUTHORIZATION_DEACTIVATION, Step.ACCOUNT_DEACTIVATION);

        ContainmentReport first = containment.run();
        ContainmentReport second = containment.run();

        assertThat(first.items()).extracting(Item::step).containsExactlyElementsOf(oneRun);
        assertThat(second.items()).extracting(Item::step).containsExactlyElementsOf(oneRun);
        assertThat(second.succeeded()).as(second.toString()).isTrue();
        assertThat(second.account().orElseThrow().status()).isEqualTo(Status.DEACTIVATED);
        acme.wireMock().verify(2, postRequestedFor(urlEqualTo(FakeAcmeServer.ACCOUNT)));
    }

    @Test
    void aLiveAuthorizationIsDeactivatedWithOneRequestAndOneDeactivatedAlreadyCountsAsAlreadyDone() {
        String deactivated = AUTHORIZATIONS.get(1);
        acme.wireMock().stubFor(post(urlEqualTo(AUTHORIZATIONS.get(0))).willReturn(FakeAcmeServer.json(200,
                acme.fixture("authz-valid.json", json -> json.put("status", "deactivated")))));
        acme.wireMock().stubFor(post(urlEqualTo(deactivated)).inScenario("refused").whenScenarioStateIs(STARTED)
                .willReturn(FakeAcmeServer.problem(400, "{\"type\":\"urn:ietf:params:acme:error:malformed\","
                        + "\"detail\":\"not valid or pending\",\"status\":400}")).willSetStateTo("fetched"));
        acme.wireMock().stubFor(post(urlEqualTo(deactivated)).inScenario("refused").whenScenarioStateIs("fetched")
                .willReturn(FakeAcmeServer.json(200, acme.fixture("authz-valid.json",
                        json -> json.put("status", "deactivated")))));

        ContainmentReport report = Containment.builder(acme.client(), accountKey).deactivateAccount().build().run();

        assertThat(report.complete()).as(report.toString()).isTrue();
        assertThat(report.items(Step.AUTHORIZATION_DEACTIVATION)).extracting(i -> i.target().orElseThrow().getPath(),
                Item::outcome).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(AUTHORIZATIONS.get(0), Outcome.DONE),
                org.assertj.core.groups.Tuple.tuple(deactivated, Outcome.ALREADY_DONE));
        acme.wireMock().verify(1, postRequestedFor(urlEqualTo(AUTHORIZATIONS.get(0))));
        acme.wireMock().verify(2, postRequestedFor(urlEqualTo(deactivated)));
    }

    @Test
    void theConcurrencyAndTheDeadlineAreCheckedWhenSet() {
        Containment.Builder builder = Containment.builder(acme.client(), accountKey).deactivateAccount();

        assertThatThrownBy(() -> builder.concurrency(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 1 and " + Containment.MAX_CONCURRENCY);
        assertThatThrownBy(() -> builder.concurrency(Containment.MAX_CONCURRENCY + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.deadline(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deadline must be positive");
        assertThat(builder.concurrency(1).deadline(Duration.ofSeconds(30)).build().run().complete()).isTrue();
    }

    @Test
    void aBuiltContainmentHoldsNoStateThatARunCouldChange() {
        List<Field> fields = Arrays.asList(Containment.class.getDeclaredFields());

        assertThat(fields).isNotEmpty().allSatisfy(field -> assertThat(Modifier.isFinal(field.getModifiers()))
                .as(field.getName()).isTrue());
        assertThat(fields).extracting(Field::getType).doesNotContain(List.class);
    }

    @Test
    void aCertificateExpiredByTheClientsClockIsNotRevokedThoughTheMachineStillFindsItValid() {
        Instant afterExpiry = leaf.getNotAfter().toInstant().plus(Duration.ofDays(1));
        assertThat(afterExpiry).isAfter(Instant.now());
        AcmeClient client = acme.client(new FakeClock(afterExpiry));

        ContainmentReport report = Containment.builder(client, accountKey)
                .revokeCertificates(RevocationReason.KEY_COMPROMISE).deactivateAccount().build().run();

        assertThat(report.items(Step.CERTIFICATE_REVOCATION)).singleElement().satisfies(item -> {
            assertThat(item.outcome()).isEqualTo(Outcome.NOT_NEEDED);
            assertThat(item.detail()).endsWith("has expired");
            assertThat(item.target()).contains(acme.url(CERTIFICATE));
        });
        acme.wireMock().verify(0, postRequestedFor(urlEqualTo(REVOKE)));
    }

    @Test
    void aCertificateUnexpiredByTheClientsClockIsRevoked() throws Exception {
        Instant beforeExpiry = leaf.getNotAfter().toInstant().minus(Duration.ofDays(1));
        AcmeClient client = acme.client(new FakeClock(beforeExpiry));

        ContainmentReport report = Containment.builder(client, accountKey)
                .revokeCertificates(RevocationReason.KEY_COMPROMISE).deactivateAccount().build().run();

        assertThat(report.items(Step.CERTIFICATE_REVOCATION)).singleElement().satisfies(item -> {
            assertThat(item.outcome()).isEqualTo(Outcome.DONE);
            assertThat(item.detail()).isEqualTo("serial " + leaf.getSerialNumber().toString(16));
        });
        acme.wireMock().verify(1, postRequestedFor(urlEqualTo(REVOKE)));
        assertThat(SignedRequest.parse(acme.postBodies(REVOKE).get(0)).payload())
                .contains("\"reason\":" + RevocationReason.KEY_COMPROMISE.code());
    }
}
