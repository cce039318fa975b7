package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Accounts (RFC 8555 sections 7.1.2 and 7.3): creation, lookup, resumption and update. */
class AccountTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private final AcmeSigner key = TestKeys.EC_P256.signer();

    @BeforeEach
    void stubServer() {
        acme.stubBasics();
    }

    @Test
    void aNewAccountIsTheServersAnswerAtTheLocationItGave() throws Exception {
        Account account = acme.client().newAccount(key).contact("mailto:cert-admin@example.org")
                .agreeToTermsOfService().create();

        assertThat(account.url()).isEqualTo(acme.url("/my-account/1"));
        assertThat(account.status()).isEqualTo(Status.VALID);
        assertThat(account.rawStatus()).isEqualTo("valid");
        assertThat(account.contacts()).containsExactly("mailto:cert-admin@example.org", "mailto:admin@example.org");
        assertThat(account.termsOfServiceAgreed()).contains(true);
        assertThat(account.ordersUrl()).contains(acme.url("/list-orderz/1"));
        assertThat(account.signer()).isSameAs(key);
    }

    @Test
    void theNewAccountPayloadCarriesTheContactsAndTheAgreement() throws Exception {
        acme.client().newAccount(key).contact("mailto:cert-admin@example.org").contact("mailto:admin@example.org")
                .agreeToTermsOfService().create();

        JsonNode payload = payloadOf(acme.postBodies("/sign-me-up").get(0));
        assertThat(payload.get("contact").toString())
                .isEqualTo("[\"mailto:cert-admin@example.org\",\"mailto:admin@example.org\"]");
        assertThat(payload.get("termsOfServiceAgreed").booleanValue()).isTrue();
        assertThat(payload.has("onlyReturnExisting")).isFalse();
    }

    @Test
    void aNewAccountWithoutContactsOrAgreementSendsAnEmptyObject() throws Exception {
        acme.client().newAccount(key).create();

        assertThat(payloadOf(acme.postBodies("/sign-me-up").get(0)).toString()).isEqualTo("{}");
    }

    @Test
    void findAccountAsksOnlyForAnExistingAccount() throws Exception {
        acme.wireMock().stubFor(post(urlEqualTo("/sign-me-up")).willReturn(FakeAcmeServer.json(200,
                acme.fixture("account.json")).withHeader("Location", acme.base() + "/my-account/1")));

        Account account = acme.client().findAccount(key);

        assertThat(account.url()).isEqualTo(acme.url("/my-account/1"));
        assertThat(payloadOf(acme.postBodies("/sign-me-up").get(0)).toString())
                .isEqualTo("{\"onlyReturnExisting\":true}");
    }

    @Test
    void findAccountForAnUnknownKeyRaisesAccountDoesNotExist() {
        acme.wireMock().stubFor(post(urlEqualTo("/sign-me-up")).willReturn(FakeAcmeServer.problem(400,
                "{\"type\":\"urn:ietf:params:acme:error:accountDoesNotExist\","
                        + "\"detail\":\"unable to find existing account for only-return-existing request\","
                        + "\"status\":400}")));

        assertThatThrownBy(() -> acme.client().findAccount(key))
                .isExactlyInstanceOf(AcmeServerException.class)
                .satisfies(e -> assertThat(((AcmeServerException) e).problem().isAcmeError("accountDoesNotExist"))
                        .isTrue());
    }

    @Test
    void aRelativeLocationIsResolvedAgainstTheNewAccountUrl() throws Exception {
        acme.wireMock().stubFor(post(urlEqualTo("/sign-me-up")).willReturn(FakeAcmeServer.json(201,
                acme.fixture("account.json")).withHeader("Location", "/my-account/7")));

        Account account = acme.client().newAccount(key).create();

        assertThat(account.url()).isEqualTo(acme.url("/my-account/7"));
    }

    @Test
    void aCreatedAccountWithoutLocationIsAProtocolError() {
        acme.wireMock().stubFor(post(urlEqualTo("/sign-me-up"))
                .willReturn(FakeAcmeServer.json(201, acme.fixture("account.json"))));

        assertThatThrownBy(() -> acme.client().newAccount(key).create())
                .isInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining("Location")
                .hasMessageContaining("newAccount");
    }

    @Test
    void anAccountIsResumedFromItsStoredUrlWithAPostAsGet() throws Exception {
        acme.stubResource("/my-account/1", "account-deactivated.json");

        Account account = acme.client().fetchAccount(acme.url("/my-account/1"), key);

        assertThat(account.url()).isEqualTo(acme.url("/my-account/1"));
        assertThat(account.status()).isEqualTo(Status.DEACTIVATED);
        assertThat(account.rawStatus()).isEqualTo("deactivated");
        assertThat(account.contacts()).isEmpty();
        assertThat(account.termsOfServiceAgreed()).isEmpty();
        SignedRequest request = SignedRequest.parse(acme.postBodies("/my-account/1").get(0));
        assertThat(request.payload()).isEmpty();
        assertThat(request.header("kid")).isEqualTo(acme.url("/my-account/1").toString());
    }

    @Test
    void updateContactsPostsTheNewListToTheAccountUrl() throws Exception {
        Account account = acme.account(acme.client(), key);
        acme.stubResource("/my-account/1", "account.json");

        Account updated = account.updateContacts(List.of("mailto:admin@example.org"));

        assertThat(updated.url()).isEqualTo(account.url());
        assertThat(payloadOf(acme.postBodies("/my-account/1").get(0)).toString())
                .isEqualTo("{\"contact\":[\"mailto:admin@example.org\"]}");
    }

    @Test
    void aContactWithoutSchemeIsRefusedBeforeAnythingIsSent() {
        AccountRequest request = acme.client().newAccount(key);

        assertThatThrownBy(() -> request.contact("admin@example.org"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("admin@example.org");
        assertThat(acme.exchanges()).isEmpty();
    }

    @Test
    void anAccountFetchedAgainIsANewSnapshot() throws Exception {
        Account account = acme.account(acme.client(), key);
        acme.stubResource("/my-account/1", "account-deactivated.json");

        Account fresh = account.fetch();

        assertThat(fresh.status()).isEqualTo(Status.DEACTIVATED);
        assertThat(account.status()).isEqualTo(Status.VALID);
        assertThat(fresh.url()).isEqualTo(acme.url("/my-account/1"));
    }

    private static JsonNode payloadOf(String body) throws Exception {
        return FakeAcmeServer.parse(SignedRequest.parse(body).payload());
    }
}
