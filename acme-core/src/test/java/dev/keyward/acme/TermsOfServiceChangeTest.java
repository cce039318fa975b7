package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Changed terms of service (RFC 8555 section 7.3.3): the CA answers {@code userActionRequired}
 * with the page to visit and the new terms; agreeing again is one call. Pebble cannot be made to
 * change its terms, so WireMock plays the CA.
 */
class TermsOfServiceChangeTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String NEW_TERMS = "https://ca.example/terms/v2";
    private static final String INSTANCE = "https://ca.example/agree-to-new-terms";

    private final AcmeSigner key = TestKeys.EC_P256.signer();

    @BeforeEach
    void stubServer() {
        acme.stubBasics();
        acme.wireMock().stubFor(post(urlEqualTo("/order-plz")).inScenario("terms")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(FakeAcmeServer.problem(403, "{\"type\":\"urn:ietf:params:acme:error:userActionRequired\","
                        + "\"detail\":\"Terms of service have changed\",\"instance\":\"" + INSTANCE + "\"}")
                        .withHeader("Link", "<" + NEW_TERMS + ">;rel=\"terms-of-service\"")));
        acme.wireMock().stubFor(post(urlEqualTo(FakeAcmeServer.ACCOUNT)).inScenario("terms")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("agreed")
                .willReturn(FakeAcmeServer.json(200, acme.fixture("account.json"))));
        acme.wireMock().stubFor(post(urlEqualTo("/order-plz")).inScenario("terms").whenScenarioStateIs("agreed")
                .willReturn(FakeAcmeServer.json(201, acme.fixture("order-pending.json"))
                        .withHeader("Location", acme.base() + "/my-order/1")));
    }

    @Test
    void changedTermsSurfaceWithThePageToVisitAndTheNewTermsAndAgreeingAgainIsOneCall() throws Exception {
        Account account = acme.account(acme.client(), key);

        assertThatThrownBy(() -> account.newOrder().domains("example.org").create())
                .isInstanceOfSatisfying(AcmeUserActionRequiredException.class, e -> {
                    assertThat(e.instance()).contains(URI.create(INSTANCE));
                    assertThat(e.termsOfService()).contains(URI.create(NEW_TERMS));
                    assertThat(e.problem().detail()).contains("Terms of service have changed");
                });

        account.agreeToTermsOfService();
        Order order = account.newOrder().domains("example.org").create();

        assertThat(order.url()).isEqualTo(acme.url("/my-order/1"));
        String agreement = acme.postBodies(FakeAcmeServer.ACCOUNT).get(0);
        JsonNode jws = new ObjectMapper().readTree(agreement);
        JsonNode payload = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(jws.get("payload").asText()));
        assertThat(payload.toString()).isEqualTo("{\"termsOfServiceAgreed\":true}");
    }
}
