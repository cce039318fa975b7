package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AcmeClient.Builder}: HTTPS only unless told otherwise (RFC 8555 section 6.1), and validated settings. */
class AcmeClientBuilderTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    @Test
    void aPlainHttpDirectoryIsRefusedWithoutAllowPlainHttp() {
        AcmeClient.Builder builder = AcmeClient.builder(URI.create("http://localhost:14000/dir"));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("allowPlainHttp");
        assertThatThrownBy(AcmeClient.builder(URI.create("HTTP://localhost:14000/dir"))::build)
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(AcmeClient.builder(URI.create("http://localhost:14000/dir")).allowPlainHttp(false)::build)
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPlainHttpDirectoryIsAllowedForLocalTests() {
        try (AcmeClient client = AcmeClient.builder(URI.create("http://localhost:14000/dir")).allowPlainHttp(true).build()) {
            assertThat(client.directoryUrl()).isEqualTo(URI.create("http://localhost:14000/dir"));
        }
    }

    @Test
    void anHttpsDirectoryNeedsNothingElse() {
        try (AcmeClient client = AcmeClient.builder(URI.create("https://acme-v02.api.letsencrypt.org/directory")).build()) {
            assertThat(client.directoryUrl()).isEqualTo(URI.create("https://acme-v02.api.letsencrypt.org/directory"));
            assertThat(client.toString()).contains("acme-v02.api.letsencrypt.org");
        }
    }

    @Test
    void aDirectoryUrlMustBeAnAbsoluteHttpUrl() {
        assertThatThrownBy(() -> AcmeClient.builder(URI.create("ftp://example.com/dir"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AcmeClient.builder(URI.create("/dir"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AcmeClient.builder(URI.create("mailto:ca@example.com"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AcmeClient.builder(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void settingsAreValidatedAtOnce() {
        AcmeClient.Builder builder = AcmeClient.builder(URI.create("https://example.com/dir"));

        assertThatThrownBy(() -> builder.userAgent("bad\nagent")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.maxResponseBytes(4095)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.maxBadNonceRetries(19)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.maxBadNonceRetries(1001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.clock(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.pollPolicy(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theUserAgentNamesKeywardAndTheCallersProduct() throws Exception {
        acme.stubDirectory("directory.json");

        try (AcmeClient client = AcmeClient.builder(acme.directoryUrl()).allowPlainHttp(true).userAgent("my-app/1.2").build()) {
            client.fetchDirectory();
        }

        acme.wireMock().verify(getRequestedFor(urlEqualTo("/dir"))
                .withHeader("User-Agent", equalTo("keyward/" + Version.VERSION + " my-app/1.2")));
    }

    @Test
    void aResponseLargerThanTheLimitIsAProtocolError() {
        String padding = " ".repeat(5000);
        acme.wireMock().stubFor(get(urlEqualTo("/dir"))
                .willReturn(FakeAcmeServer.json(200, acme.fixture("directory.json") + padding)));

        AcmeClient client = AcmeClient.builder(acme.directoryUrl()).allowPlainHttp(true).maxResponseBytes(4096).build();

        assertThatThrownBy(client::fetchDirectory)
                .isInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining("4096");
    }
}
