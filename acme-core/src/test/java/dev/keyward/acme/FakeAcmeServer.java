package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.Options;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A WireMock server on plain HTTP that serves the Pebble-shaped fixtures at Pebble's paths, for
 * driving the public API end to end. Register it with
 * {@code @RegisterExtension static final FakeAcmeServer acme = new FakeAcmeServer();}: it starts
 * once per class and forgets every stub and request before each test. {@link #overHttps()} makes
 * one that speaks only HTTPS, with a certificate its clients trust as an extra trust anchor.
 */
final class FakeAcmeServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    static final String DIRECTORY = "/dir";
    static final String NEW_NONCE = "/nonce-plz";
    static final String NEW_ACCOUNT = "/sign-me-up";
    static final String ACCOUNT = "/my-account/1";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ReplayNonces nonces = new ReplayNonces();
    private final TlsIdentity tls;
    private final boolean contentLength;
    private WireMockServer server;

    FakeAcmeServer() {
        this(null, false);
    }

    private FakeAcmeServer(TlsIdentity tls, boolean contentLength) {
        this.tls = tls;
        this.contentLength = contentLength;
    }

    /** A server on HTTPS only, for 127.0.0.1, with a fresh self-signed certificate. */
    static FakeAcmeServer overHttps() {
        return new FakeAcmeServer(TlsIdentity.forLoopback(), false);
    }

    /**
     * A server that sends every body uncompressed with a {@code Content-Length}. The default one
     * gzips bodies for OkHttp (which asks for it and inflates them transparently), so their size
     * is never known up front.
     */
    static FakeAcmeServer declaringContentLength() {
        return new FakeAcmeServer(null, true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        WireMockConfiguration config = wireMockConfig().bindAddress("127.0.0.1").extensions(nonces);
        if (contentLength) {
            config.useChunkedTransferEncoding(Options.ChunkedEncodingPolicy.NEVER).gzipDisabled(true);
        }
        if (tls == null) {
            config.dynamicPort();
        } else {
            config.httpDisabled(true).dynamicHttpsPort().keystoreType("PKCS12")
                    .keystorePath(tls.keyStore().toString())
                    .keystorePassword(TlsIdentity.PASSWORD).keyManagerPassword(TlsIdentity.PASSWORD);
        }
        server = new WireMockServer(config);
        server.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server.resetAll();
        nonces.reset();
    }

    WireMockServer wireMock() {
        return server;
    }

    /** {@code http://127.0.0.1:PORT} (or {@code https://}), what the fixtures' Pebble base URL becomes. */
    String base() {
        return tls == null ? "http://127.0.0.1:" + server.port() : "https://127.0.0.1:" + server.httpsPort();
    }

    URI url(String path) {
        return URI.create(base() + path);
    }

    URI directoryUrl() {
        return url(DIRECTORY);
    }

    /** A fixture with its URLs pointing at this server. */
    String fixture(String name) {
        return Fixtures.rebased(name, base());
    }

    /** A fixture with its URLs pointing at this server, changed by {@code edit}: a broken or extended variant. */
    String fixture(String name, Consumer<ObjectNode> edit) {
        ObjectNode json = (ObjectNode) parse(fixture(name));
        edit.accept(json);
        return json.toString();
    }

    /** A client of this server with plain HTTP allowed and the given clock. */
    AcmeClient client(FakeClock clock) {
        return clientBuilder(clock).build();
    }

    /**
     * A client builder for this server with the given clock, and plain HTTP allowed (or, over
     * HTTPS, this server's certificate as an extra trust anchor), for tests that set more.
     */
    AcmeClient.Builder clientBuilder(FakeClock clock) {
        AcmeClient.Builder builder = AcmeClient.builder(directoryUrl()).clock(clock);
        return tls == null ? builder.allowPlainHttp(true) : builder.trustAnchors(List.of(tls.certificate()));
    }

    AcmeClient client() {
        return client(new FakeClock());
    }

    /** The directory, {@code newNonce} and a {@code newAccount} that answers 201 with {@code account.json}. */
    void stubBasics() {
        stubDirectory("directory.json");
        stubNewNonce();
        stubNewAccount();
    }

    void stubDirectory(String fixture) {
        server.stubFor(get(urlEqualTo(DIRECTORY)).willReturn(json(200, fixture(fixture))));
    }

    void stubNewNonce() {
        server.stubFor(head(urlEqualTo(NEW_NONCE)).willReturn(aResponse().withStatus(200)
                .withHeader("Cache-Control", "no-store")
                .withHeader("Link", "<" + directoryUrl() + ">;rel=\"index\"")));
    }

    void stubNewAccount() {
        server.stubFor(post(urlEqualTo(NEW_ACCOUNT)).willReturn(json(201, fixture("account.json"))
                .withHeader("Location", base() + ACCOUNT)));
    }

    /** A POST (or POST-as-GET) at {@code path} answered 200 with a fixture. */
    void stubResource(String path, String fixture) {
        server.stubFor(post(urlEqualTo(path)).willReturn(json(200, fixture(fixture))));
    }

    /** Creates the account of {@code account.json} for a key; needs {@link #stubBasics()}. */
    Account account(AcmeClient client, AcmeSigner key) throws AcmeException {
        return client.newAccount(key).contact("mailto:cert-admin@example.org").agreeToTermsOfService().create();
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    static ResponseDefinitionBuilder problem(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/problem+json").withBody(body);
    }

    /** Every request in the order the server saw it, with the nonce each answer handed out. */
    List<ReplayNonces.Exchange> exchanges() {
        return nonces.exchanges();
    }

    /** The bodies of the POSTs to {@code path}, in order. */
    List<String> postBodies(String path) {
        return exchanges().stream().filter(e -> e.method.equals("POST") && e.path.equals(path))
                .map(e -> e.body).collect(Collectors.toList());
    }

    /** The bodies of every POST, in order. */
    List<String> postBodies() {
        return exchanges().stream().filter(e -> e.method.equals("POST")).map(e -> e.body)
                .collect(Collectors.toList());
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
