package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The embedded http-01 responder (RFC 8555 section 8.3) as the flow's solver, fetched with a plain
 * GET as a validator does: it answers the key authorization, and tells the flow that the
 * validator looked only once that answer is sent (the flow polls a moment after the sign).
 */
class Http01ServerTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String AUTHZ = "/authZ/PAniVnsZcis";

    private Http01Server server;

    @BeforeEach
    void start() throws Exception {
        server = Http01Server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aDeployedChallengeIsAnsweredAndTheLookCountsOnceTheAnswerIsSent() throws Exception {
        Http01Challenge challenge = challenge();
        server.deploy(challenge);
        assertThat(server.awaitValidation(challenge, Duration.ZERO)).as("before any request").isFalse();

        Answer answer = get(challenge.path());

        assertThat(answer.status).isEqualTo(200);
        assertThat(answer.contentType).isEqualTo("text/plain");
        assertThat(answer.body).isEqualTo(challenge.keyAuthorization());
        assertThat(server.awaitValidation(challenge, Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aTokenNotDeployedIsNotFoundAndNoLook() throws Exception {
        Http01Challenge challenge = challenge();

        Answer answer = get(challenge.path());

        assertThat(answer.status).isEqualTo(404);
        assertThat(server.awaitValidation(challenge, Duration.ZERO)).isFalse();
    }

    private record Answer(int status, String contentType, String body) {
    }

    private Answer get(String path) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + server.port() + path)
                .toURL().openConnection();
        connection.setConnectTimeout(10_000);
        connection.setReadTimeout(10_000);
        try {
            int status = connection.getResponseCode();
            String body = status == 200
                    ? new String(connection.getInputStream().readAllBytes(), StandardCharsets.US_ASCII) : "";
            return new Answer(status, connection.getContentType(), body);
        } finally {
            connection.disconnect();
        }
    }

    private static Http01Challenge challenge() throws Exception {
        acme.stubBasics();
        acme.wireMock().stubFor(post(urlEqualTo(AUTHZ)).willReturn(FakeAcmeServer.json(200,
                acme.fixture("authz-pending.json"))));
        Authorization authorization = acme.account(acme.client(), TestKeys.EC_P256.signer())
                .fetchAuthorization(acme.url(AUTHZ));
        return authorization.challenge(Http01Challenge.class).orElseThrow();
    }
}
