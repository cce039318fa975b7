package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The directory resource (RFC 8555 section 7.1.1) as {@link AcmeClient#fetchDirectory()} reads it. */
class DirectoryTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    @Test
    void everyResourceUrlOfTheDirectoryIsParsed() throws Exception {
        acme.stubDirectory("directory.json");

        Directory directory = acme.client().fetchDirectory();

        assertThat(directory.directoryUrl()).isEqualTo(acme.directoryUrl());
        assertThat(directory.newNonce()).isEqualTo(acme.url("/nonce-plz"));
        assertThat(directory.newAccount()).isEqualTo(acme.url("/sign-me-up"));
        assertThat(directory.newOrder()).isEqualTo(acme.url("/order-plz"));
        assertThat(directory.newAuthz()).contains(acme.url("/new-authz"));
        assertThat(directory.revokeCert()).contains(acme.url("/revoke-cert"));
        assertThat(directory.keyChange()).contains(acme.url("/rollover-account-key"));
    }

    @Test
    void aResourceTheLibraryDoesNotKnowIsKeptByName() throws Exception {
        acme.stubDirectory("directory.json");

        Directory directory = acme.client().fetchDirectory();

        assertThat(directory.url("renewalInfo")).contains(acme.url("/draft-ietf-acme-ari-03/renewalInfo"));
        assertThat(directory.url("noSuchResource")).isEmpty();
        assertThat(directory.resources().keySet()).containsExactly("newNonce", "newAccount", "newOrder",
                "newAuthz", "revokeCert", "keyChange", "renewalInfo");
    }

    @Test
    void theMetaObjectIsParsedWithItsUnknownFields() throws Exception {
        acme.stubDirectory("directory.json");

        DirectoryMeta meta = acme.client().fetchDirectory().meta();

        assertThat(meta.termsOfService()).contains(URI.create("https://example.com/acme/terms/2017-5-30"));
        assertThat(meta.website()).contains(URI.create("https://www.example.com/"));
        assertThat(meta.caaIdentities()).containsExactly("example.com", "example.net");
        assertThat(meta.externalAccountRequired()).isFalse();
        assertThat(meta.fields()).containsEntry("profiles", Map.of(
                "default", "The profile you know and love",
                "shortlived", "A short-lived cert profile, without actual enforcement"));
        assertThat(meta.fields()).containsEntry("caaIdentities", List.of("example.com", "example.net"));
        assertThat(meta.fields().keySet()).containsExactly("termsOfService", "website", "caaIdentities",
                "externalAccountRequired", "profiles");
    }

    @Test
    void whatTheCaSupportsIsReadInOneLook() throws Exception {
        acme.stubDirectory("directory.json");

        java.util.Map<String, Object> capabilities = acme.client().fetchDirectory().capabilities();

        assertThat(capabilities).containsEntry("newAuthz", true).containsEntry("keyChange", true)
                .containsEntry("revokeCert", true).containsEntry("renewalInfo", true)
                .containsEntry("subdomainAuthAllowed", false).containsEntry("externalAccountRequired", false)
                .containsEntry("termsOfService", "https://example.com/acme/terms/2017-5-30")
                .containsEntry("website", "https://www.example.com/")
                .containsEntry("caaIdentities", java.util.List.of("example.com", "example.net"));
        assertThat(capabilities.get("profiles")).isEqualTo(java.util.Map.of(
                "default", "The profile you know and love",
                "shortlived", "A short-lived cert profile, without actual enforcement"));
        assertThat(capabilities.keySet()).startsWith("newAuthz", "keyChange", "revokeCert", "renewalInfo");
    }

    @Test
    void externalAccountRequiredTrueIsReported() throws Exception {
        String body = acme.fixture("directory.json")
                .replace("\"externalAccountRequired\": false", "\"externalAccountRequired\": true");
        acme.wireMock().stubFor(get(urlEqualTo("/dir")).willReturn(FakeAcmeServer.json(200, body)));

        assertThat(acme.client().fetchDirectory().meta().externalAccountRequired()).isTrue();
    }

    @Test
    void aDirectoryWithoutMetaHasAnEmptyMeta() throws Exception {
        acme.stubDirectory("directory-without-meta.json");

        Directory directory = acme.client().fetchDirectory();

        assertThat(directory.meta().termsOfService()).isEmpty();
        assertThat(directory.meta().website()).isEmpty();
        assertThat(directory.meta().caaIdentities()).isEmpty();
        assertThat(directory.meta().externalAccountRequired()).isFalse();
        assertThat(directory.meta().fields()).isEmpty();
        assertThat(directory.newAuthz()).isEmpty();
        assertThat(directory.revokeCert()).isEmpty();
        assertThat(directory.keyChange()).isEmpty();
    }

    @Test
    void theDirectoryIsFetchedOncePerClient() throws Exception {
        acme.stubDirectory("directory.json");
        AcmeClient client = acme.client();

        Directory first = client.fetchDirectory();
        Directory second = client.fetchDirectory();

        assertThat(second).isSameAs(first);
        acme.wireMock().verify(1, getRequestedFor(urlEqualTo("/dir")));
    }

    @Test
    void aDirectoryWithoutNewNonceIsAProtocolErrorNamingIt() {
        acme.stubDirectory("directory-without-newNonce.json");

        assertThatThrownBy(() -> acme.client().fetchDirectory())
                .isInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining("newNonce")
                .hasMessageContaining(acme.directoryUrl().toString());
    }

    @Test
    void aDirectoryThatIsNotJsonIsAProtocolError() {
        acme.wireMock().stubFor(get(urlEqualTo("/dir")).willReturn(FakeAcmeServer.json(200, "<html></html>")));

        assertThatThrownBy(() -> acme.client().fetchDirectory())
                .isInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining("directory");
    }

    /**
     * Pebble's directory, verbatim: its terms of service are a {@code data:} URL, which has no
     * host. The terms URL is only shown to a person, never fetched, so it must not break the
     * directory.
     */
    @Test
    void pebblesDirectoryWithADataUrlAsTermsOfServiceIsAccepted() throws Exception {
        acme.stubDirectory("directory-pebble.json");

        Directory directory = acme.client().fetchDirectory();

        assertThat(directory.meta().termsOfService())
                .contains(URI.create("data:text/plain,Do%20what%20thou%20wilt"));
        assertThat(directory.url("renewalInfo")).contains(acme.url("/draft-ietf-acme-ari-03/renewalInfo"));
    }
}
