package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pre-authorization through {@code newAuthz} (RFC 8555 section 7.4.1), which Pebble does not
 * offer: WireMock plays a CA that does. (The refusal without {@code newAuthz} is tested against
 * Pebble.)
 */
class PreAuthorizationTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private final AcmeSigner key = TestKeys.EC_P256.signer();

    @BeforeEach
    void stubServer() {
        acme.stubBasics();
        acme.wireMock().stubFor(post(urlEqualTo("/new-authz")).willReturn(
                FakeAcmeServer.json(201, acme.fixture("authz-pending.json"))
                        .withHeader("Location", acme.base() + "/authZ/pre-1")));
    }

    @Test
    void anIdentifierIsPreAuthorizedWithOneRequestAndTheAuthorizationComesFromItsLocation() throws Exception {
        Account account = acme.account(acme.client(), key);

        Authorization authorization = account.preAuthorize(Identifier.dns("www.example.org"));

        assertThat(authorization.url()).isEqualTo(acme.url("/authZ/pre-1"));
        assertThat(authorization.status()).isEqualTo(Status.PENDING);
        assertThat(authorization.identifier()).isEqualTo(Identifier.dns("www.example.org"));
        assertThat(authorization.challenge(Http01Challenge.class)).isPresent();
        JsonNode jws = new ObjectMapper().readTree(acme.postBodies("/new-authz").get(0));
        JsonNode payload = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(jws.get("payload").asText()));
        JsonNode header = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(jws.get("protected").asText()));
        assertThat(payload.get("identifier").get("type").asText()).isEqualTo("dns");
        assertThat(payload.get("identifier").get("value").asText()).isEqualTo("www.example.org");
        assertThat(payload.size()).isEqualTo(1);
        assertThat(header.get("kid").asText()).isEqualTo(account.url().toString());
    }
}
