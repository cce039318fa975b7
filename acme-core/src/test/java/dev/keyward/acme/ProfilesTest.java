package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Certificate profiles (draft-ietf-acme-profiles sections 3, 4 and 6). */
class ProfilesTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String NEW_ORDER = "/order-plz";
    private static final String ORDER = "/my-order/TOlocE8rfgo";

    private AcmeClient client;
    private Account account;

    @BeforeEach
    void createAccount() throws Exception {
        acme.stubBasics();
        client = acme.client();
        account = acme.account(client, TestKeys.EC_P256.signer());
    }

    @Test
    void theDirectoryListsProfilesWithTheirDescriptionsInTheCasOrder() throws Exception {
        assertThat(client.fetchDirectory().meta().profiles()).containsExactly(
                java.util.Map.entry("default", "The profile you know and love"),
                java.util.Map.entry("shortlived", "A short-lived cert profile, without actual enforcement"));
    }

    @Test
    void aListedProfileIsSentOnNewOrderAndReadBackFromTheOrder() throws Exception {
        stubNewOrder(acme.fixture("order-pending.json", json -> json.put("profile", "shortlived")));

        Order order = account.newOrder().domains("example.org").profile("shortlived").create();

        assertThat(SignedRequest.parse(acme.postBodies(NEW_ORDER).get(0)).payload()).contains("\"profile\":\"shortlived\"");
        assertThat(order.profile()).contains("shortlived");
    }

    @Test
    void aProfileTheCaDoesNotListIsRefusedBeforeAnyOrderIsSentNamingTheListedOnes() {
        assertThatThrownBy(() -> account.newOrder().domains("example.org").profile("forever").create())
                .isInstanceOfSatisfying(AcmeInvalidProfileException.class, e -> {
                    assertThat(e.offered()).containsExactly("default", "shortlived");
                    assertThat(e.getMessage()).contains("forever").contains("[default, shortlived]");
                    assertThat(e.problem().isAcmeError("invalidProfile")).isTrue();
                });
        acme.wireMock().verify(0, postRequestedFor(urlEqualTo(NEW_ORDER)));
    }

    @Test
    void aProfileIsRefusedBeforeAnyOrderWhenTheCaOffersNone() throws Exception {
        acme.stubDirectory("directory-without-meta.json");
        AcmeClient plain = acme.client();
        Account other = acme.account(plain, TestKeys.EC_P384.signer());

        assertThatThrownBy(() -> other.newOrder().domains("example.org").profile("shortlived").create())
                .isInstanceOf(AcmeNotSupportedException.class).hasMessageContaining("no certificate profiles");
        acme.wireMock().verify(0, postRequestedFor(urlEqualTo(NEW_ORDER)));
    }

    @Test
    void theCasInvalidProfileIsATypedException() {
        acme.wireMock().stubFor(post(urlEqualTo(NEW_ORDER)).willReturn(FakeAcmeServer.problem(400,
                "{\"type\":\"urn:ietf:params:acme:error:invalidProfile\",\"detail\":\"profile retired\",\"status\":400}")));

        assertThatThrownBy(() -> account.newOrder().domains("example.org").profile("shortlived").create())
                .isInstanceOfSatisfying(AcmeInvalidProfileException.class,
                        e -> assertThat(e.problem().detail()).contains("profile retired"));
    }

    @Test
    void theIssuanceFlowAsksForItsProfile() throws Exception {
        stubNewOrder(acme.fixture("order-invalid.json"));

        assertThatThrownBy(() -> account.issue(IssuanceRequest.builder().domains("www.example.org")
                .certificateKey(TestKeys.EC_P384.signer()).profile("shortlived").build()))
                .isInstanceOf(AcmeServerException.class);

        assertThat(SignedRequest.parse(acme.postBodies(NEW_ORDER).get(0)).payload()).contains("\"profile\":\"shortlived\"");
    }

    private static void stubNewOrder(String body) {
        acme.wireMock().stubFor(post(urlEqualTo(NEW_ORDER)).willReturn(FakeAcmeServer.json(201, body)
                .withHeader("Location", acme.base() + ORDER)));
    }
}
