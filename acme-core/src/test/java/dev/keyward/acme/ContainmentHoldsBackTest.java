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
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@link Containment} never deactivates the account (or rolls it over) while the orders list or
 * a requested revocation is undone, unless told to accept the loss; its report is
 * {@linkplain ContainmentReport#complete() complete} only when everything asked for is done, and
 * it names every certificate left unrevoked. The CA is scripted: one account with one valid order
 * (two authorizations, already deactivated, and an unexpired certificate).
 */
class ContainmentHoldsBackTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String ORDERS = "/list-orderz/1";
    private static final String ORDER = "/my-order/1";
    private static final List<String> AUTHORIZATIONS = List.of("/authZ/PAniVnsZcis", "/authZ/r4HqLzrSrpI");
    private static final String CERTIFICATE = "/certZ/mAt3xBGaobw";
    private static final String REVOKE = "/revoke-cert";
    private static final String REVOCATION = "revocation";

    private final AcmeSigner accountKey = TestKeys.EC_P256.signer();
    private X509Certificate leaf;
    private AcmeClient client;

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
        client = acme.client(new FakeClock(leaf.getNotAfter().toInstant().minus(Duration.ofDays(1))));
    }

    private Containment.Builder revokeAndDeactivate() {
        return Containment.builder(client, accountKey).revokeCertificates(RevocationReason.KEY_COMPROMISE)
                .deactivateAccount();
    }

    private String serial() {
        return leaf.getSerialNumber().toString(16);
    }

    private static String problem(String type, int status) {
        return "{\"type\":\"urn:ietf:params:acme:error:" + type + "\",\"detail\":\"scripted\",\"status\":" + status + "}";
    }

    private void revocationFailsOnceThenAnswers(int status, String body) {
        acme.wireMock().stubFor(post(urlEqualTo(REVOKE)).inScenario(REVOCATION).whenScenarioStateIs(STARTED)
                .willReturn(FakeAcmeServer.problem(500, problem("serverInternal", 500))).willSetStateTo("again"));
        acme.wireMock().stubFor(post(urlEqualTo(REVOKE)).inScenario(REVOCATION).whenScenarioStateIs("again")
                .willReturn(body == null ? aResponse().withStatus(status) : FakeAcmeServer.problem(status, body)));
    }

    private static void accountNoLongerExists() {
        acme.wireMock().stubFor(post(urlEqualTo("/sign-me-up")).willReturn(FakeAcmeServer.problem(403,
                problem("unauthorized", 403))));
    }

    @Test
    void anOrdersListAnsweredOutsideRfc8555LeavesTheAccountActiveAndTheReportIncomplete() {
        acme.wireMock().stubFor(post(urlEqualTo(ORDERS)).willReturn(FakeAcmeServer.json(200, "{\"orders\":\"none\"}")));

        ContainmentReport report = revokeAndDeactivate().build().run();

        acme.wireMock().verify(0, postRequestedFor(urlEqualTo(FakeAcmeServer.ACCOUNT)));
        acme.wireMock().verify(0, postRequestedFor(urlEqualTo(REVOKE)));
        assertThat(report.complete()).as(report.toString()).isFalse();
        assertThat(report.allCertificatesKnown()).isFalse();
        assertThat(report.items(Step.ORDERS_LIST)).singleElement()
                .satisfies(i -> assertThat(i.outcome()).isEqualTo(Outcome.FAILED));
        assertThat(report.items(Step.ACCOUNT_DEACTIVATION)).singleElement().satisfies(i -> {
            assertThat(i.outcome()).isEqualTo(Outcome.NOT_DONE);
            assertThat(i.detail()).startsWith("held back: the orders list failed")
                    .contains("a deactivated account can no longer revoke");
        });
        assertThat(report.account().orElseThrow().status()).isEqualTo(Status.VALID);
    }

    @Test
    void aRolloverIsHeldBackTooWhenTheOrdersListFails() {
        acme.wireMock().stubFor(post(urlEqualTo(ORDERS)).willReturn(FakeAcmeServer.problem(400,
                problem("malformed", 400))));

        ContainmentReport report = Containment.builder(client, accountKey).rolloverTo(TestKeys.EC_P384.signer())
                .build().run();

        assertThat(report.items(Step.KEY_ROLLOVER)).extracting(Item::outcome).containsExactly(Outcome.NOT_DONE);
        assertThat(report.complete()).isFalse();
        acme.wireMock().verify(0, postRequestedFor(urlEqualTo("/rollover-account-key")));
    }

    @Test
    void anOrderThatCannotBeFetchedHoldsDeactivationBack() {
        acme.wireMock().stubFor(post(urlEqualTo(ORDER)).willReturn(FakeAcmeServer.problem(404,
                problem("malformed", 404))));

        ContainmentReport report = revokeAndDeactivate().build().run();

        acme.wireMock().verify(0, postRequestedFor(urlEqualTo(FakeAcmeServer.ACCOUNT)));
        assertThat(report.items(Step.ORDER)).extracting(Item::outcome).containsExactly(Outcome.FAILED);
        assertThat(report.items(Step.ACCOUNT_DEACTIVATION)).extracting(Item::outcome)
                .containsExactly(Outcome.NOT_DONE);
        assertThat(report.allCertificatesKnown()).isFalse();
        assertThat(report.complete()).isFalse();
    }

    @Test
    void aRevocationThatFailsOnceHoldsDeactivationBackAndTheRerunCompletes() {
        revocationFailsOnceThenAnswers(200, null);
        Containment containment = revokeAndDeactivate().build();

        ContainmentReport first = containment.run();

        acme.wireMock().verify(0, postRequestedFor(urlEqualTo(FakeAcmeServer.ACCOUNT)));
        assertThat(first.complete()).as(first.toString()).isFalse();
        assertThat(first.items(Step.CERTIFICATE_REVOCATION)).extracting(Item::outcome)
                .containsExactly(Outcome.FAILED);
        assertThat(first.items(Step.ACCOUNT_DEACTIVATION)).singleElement().satisfies(i -> {
            assertThat(i.outcome()).isEqualTo(Outcome.NOT_DONE);
            assertThat(i.detail()).contains("certificate " + acme.url(CERTIFICATE) + " is not revoked");
        });
        assertThat(first.unrevokedCertificates()).singleElement().satisfies(c -> {
            assertThat(c.url()).isEqualTo(acme.url(CERTIFICATE));
            assertThat(c.serial()).contains(serial());
        });

        ContainmentReport second = containment.run();

        assertThat(second.complete()).as(second.toString()).isTrue();
        assertThat(second.unrevokedCertificates()).isEmpty();
        assertThat(second.items(Step.CERTIFICATE_REVOCATION)).extracting(Item::outcome).containsExactly(Outcome.DONE);
        assertThat(second.items(Step.ACCOUNT_DEACTIVATION)).extracting(Item::outcome).containsExactly(Outcome.DONE);
        acme.wireMock().verify(2, postRequestedFor(urlEqualTo(REVOKE)));
        acme.wireMock().verify(1, postRequestedFor(urlEqualTo(FakeAcmeServer.ACCOUNT)));
    }

    @Test
    void acceptingTheLossDeactivatesAnywayAndListsTheCertificateLeftUnrevoked() {
        revocationFailsOnceThenAnswers(200, null);

        ContainmentReport report = revokeAndDeactivate().endEvenIfIncomplete(true).build().run();

        acme.wireMock().verify(1, postRequestedFor(urlEqualTo(FakeAcmeServer.ACCOUNT)));
        assertThat(report.items(Step.ACCOUNT_DEACTIVATION)).singleElement().satisfies(i -> {
            assertThat(i.outcome()).isEqualTo(Outcome.DONE);
            assertThat(i.detail()).contains("though certificate " + acme.url(CERTIFICATE) + " is not revoked");
        });
        assertThat(report.complete()).as(report.toString()).isFalse();
        assertThat(report.unrevokedCertificates()).singleElement().satisfies(c -> {
            assertThat(c.url()).isEqualTo(acme.url(CERTIFICATE));
            assertThat(c.serial()).contains(serial());
            assertThat(c.reason()).isNotBlank();
        });
    }

    @Test
    void acceptingTheLossAfterAFailedOrdersListDeactivatesButIsNeverComplete() {
        acme.wireMock().stubFor(post(urlEqualTo(ORDERS)).willReturn(FakeAcmeServer.json(200, "not json")));

        ContainmentReport report = revokeAndDeactivate().endEvenIfIncomplete(true).build().run();

        acme.wireMock().verify(1, postRequestedFor(urlEqualTo(FakeAcmeServer.ACCOUNT)));
        assertThat(report.items(Step.ACCOUNT_DEACTIVATION)).extracting(Item::outcome).containsExactly(Outcome.DONE);
        assertThat(report.allCertificatesKnown()).isFalse();
        assertThat(report.complete()).isFalse();
    }

    @Test
    void aCrashBetweenRevocationAndDeactivationLeavesTheAccountActiveAndTheRerunFinishes() {
        acme.wireMock().stubFor(post(urlEqualTo(REVOKE)).inScenario(REVOCATION).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(200)).willSetStateTo("revoked"));
        acme.wireMock().stubFor(post(urlEqualTo(REVOKE)).inScenario(REVOCATION).whenScenarioStateIs("revoked")
                .willReturn(FakeAcmeServer.problem(400, problem("alreadyRevoked", 400))));
        List<Item> seen = new ArrayList<>();
        Containment crashing = revokeAndDeactivate().listener(new Containment.Listener() {
            @Override
            public void itemAdded(Item item) {
                seen.add(item);
                if (item.step() == Step.CERTIFICATE_REVOCATION) {
                    throw new SimulatedCrash();
                }
            }
        }).build();

        assertThatThrownBy(crashing::run).isInstanceOf(SimulatedCrash.class);

        acme.wireMock().verify(0, postRequestedFor(urlEqualTo(FakeAcmeServer.ACCOUNT)));
        assertThat(seen).extracting(Item::step).containsExactly(Step.ACCOUNT_LOOKUP, Step.ORDERS_LIST,
                Step.CERTIFICATE_REVOCATION);

        ContainmentReport rerun = revokeAndDeactivate().build().run();

        assertThat(rerun.complete()).as(rerun.toString()).isTrue();
        assertThat(rerun.items(Step.CERTIFICATE_REVOCATION)).extracting(Item::outcome)
                .containsExactly(Outcome.ALREADY_DONE);
        assertThat(rerun.items(Step.ACCOUNT_DEACTIVATION)).extracting(Item::outcome).containsExactly(Outcome.DONE);
    }

    @Test
    void aRerunAfterDeactivationCountsOnlyTheDeactivationAsDoneNeverTheRevocations() {
        accountNoLongerExists();

        ContainmentReport report = revokeAndDeactivate().build().run();

        assertThat(report.items()).extracting(Item::step, Item::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Step.ACCOUNT_DEACTIVATION, Outcome.ALREADY_DONE),
                org.assertj.core.groups.Tuple.tuple(Step.ORDERS_LIST, Outcome.UNKNOWN),
                org.assertj.core.groups.Tuple.tuple(Step.CERTIFICATE_REVOCATION, Outcome.UNKNOWN));
        assertThat(report.succeeded()).isTrue();
        assertThat(report.complete()).isFalse();
        assertThat(report.allCertificatesKnown()).isFalse();
        acme.wireMock().verify(0, postRequestedFor(urlEqualTo(REVOKE)));
    }

    @Test
    void aRerunAfterDeactivationWithoutRevocationIsComplete() {
        accountNoLongerExists();

        ContainmentReport report = Containment.builder(client, accountKey).deactivateAccount().build().run();

        assertThat(report.items()).extracting(Item::outcome).containsExactly(Outcome.ALREADY_DONE);
        assertThat(report.complete()).isTrue();
    }

    @Test
    void aCertificateTheCaNoLongerServesIsUnknownNotRevoked() {
        acme.wireMock().stubFor(post(urlEqualTo(CERTIFICATE)).willReturn(FakeAcmeServer.problem(404,
                problem("malformed", 404))));

        ContainmentReport report = revokeAndDeactivate().build().run();

        assertThat(report.items(Step.CERTIFICATE_REVOCATION)).extracting(Item::outcome)
                .containsExactly(Outcome.UNKNOWN);
        assertThat(report.unrevokedCertificates()).singleElement().satisfies(c -> {
            assertThat(c.url()).isEqualTo(acme.url(CERTIFICATE));
            assertThat(c.serial()).isEmpty();
        });
        assertThat(report.complete()).isFalse();
        acme.wireMock().verify(0, postRequestedFor(urlEqualTo(FakeAcmeServer.ACCOUNT)));
    }

    @Test
    void everythingDoneIsComplete() {
        ContainmentReport report = revokeAndDeactivate().build().run();

        assertThat(report.complete()).as(report.toString()).isTrue();
        assertThat(report.incompleteItems()).isEmpty();
        assertThat(report.unrevokedCertificates()).isEmpty();
        assertThat(report.allCertificatesKnown()).isTrue();
    }

    /** Stands for the process dying between two steps. */
    private static final class SimulatedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
