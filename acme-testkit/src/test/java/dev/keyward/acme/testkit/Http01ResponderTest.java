package dev.keyward.acme.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Http01ResponderTest {

    private static final String TOKEN = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";
    private static final String KEY_AUTHORIZATION = TOKEN + ".9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Http01Responder responder;

    @BeforeEach
    void start() {
        responder = Http01Responder.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void stop() {
        responder.close();
    }

    @Test
    void aServedTokenAnswersItsKeyAuthorizationAsPlainText() throws Exception {
        responder.serve(TOKEN, KEY_AUTHORIZATION);

        HttpResponse<String> response = get(Http01Responder.PATH_PREFIX + TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(KEY_AUTHORIZATION);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    }

    @Test
    void unknownTokensAndOtherPathsAnswer404AndCountNothing() throws Exception {
        responder.serve(TOKEN, KEY_AUTHORIZATION);

        assertThat(get(Http01Responder.PATH_PREFIX + "other").statusCode()).isEqualTo(404);
        assertThat(get("/" + TOKEN).statusCode()).isEqualTo(404);
        assertThat(get("/.well-known/acme-challenge/").statusCode()).isEqualTo(404);
        assertThat(responder.fetchCount(TOKEN)).isZero();
    }

    @Test
    void aPostToAServedTokenIsRefusedAndNotCounted() throws Exception {
        responder.serve(TOKEN, KEY_AUTHORIZATION);

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri(Http01Responder.PATH_PREFIX + TOKEN))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(responder.fetchCount(TOKEN)).isZero();
    }

    @Test
    void concurrentFetchesAreEachCounted() throws Exception {
        responder.serve(TOKEN, KEY_AUTHORIZATION);
        HttpRequest request = HttpRequest.newBuilder(uri(Http01Responder.PATH_PREFIX + TOKEN)).build();

        List<CompletableFuture<HttpResponse<String>>> fetches = List.of(
                client.sendAsync(request, HttpResponse.BodyHandlers.ofString()),
                client.sendAsync(request, HttpResponse.BodyHandlers.ofString()),
                client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new)).get(10, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(fetches).allSatisfy(fetch -> assertThat(fetch.join().body()).isEqualTo(KEY_AUTHORIZATION));
        assertThat(responder.fetchCount(TOKEN)).isEqualTo(3);
    }

    @Test
    void awaitFetchReturnsTrueOnceTheTokenWasFetched() throws Exception {
        responder.serve(TOKEN, KEY_AUTHORIZATION);
        CompletableFuture<HttpResponse<String>> fetch = client.sendAsync(
                HttpRequest.newBuilder(uri(Http01Responder.PATH_PREFIX + TOKEN)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(responder.awaitFetch(TOKEN, Duration.ofSeconds(10))).isTrue();
        assertThat(responder.fetchCount(TOKEN)).isEqualTo(1);
        assertThat(fetch.get(10, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void awaitFetchReturnsFalseWhenNobodyFetchesBeforeTheTimeout() throws Exception {
        responder.serve(TOKEN, KEY_AUTHORIZATION);

        assertThat(responder.awaitFetch(TOKEN, Duration.ofMillis(50))).isFalse();
    }

    @Test
    void servingATokenAgainResetsItsCountAndItsLatch() throws Exception {
        responder.serve(TOKEN, KEY_AUTHORIZATION);
        get(Http01Responder.PATH_PREFIX + TOKEN);

        responder.serve(TOKEN, "changed");

        assertThat(responder.fetchCount(TOKEN)).isZero();
        assertThat(responder.awaitFetch(TOKEN, Duration.ofMillis(20))).isFalse();
        assertThat(get(Http01Responder.PATH_PREFIX + TOKEN).body()).isEqualTo("changed");
    }

    @Test
    void aRemovedTokenAnswers404AndCannotBeAwaited() throws Exception {
        responder.serve(TOKEN, KEY_AUTHORIZATION);
        get(Http01Responder.PATH_PREFIX + TOKEN);

        responder.remove(TOKEN);

        assertThat(get(Http01Responder.PATH_PREFIX + TOKEN).statusCode()).isEqualTo(404);
        assertThat(responder.fetchCount(TOKEN)).isZero();
        assertThatThrownBy(() -> responder.awaitFetch(TOKEN, Duration.ofMillis(1)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void tokensOutsideTheBase64UrlAlphabetAreRejected() {
        assertThatThrownBy(() -> responder.serve("../etc/passwd", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> responder.serve("", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> responder.serve("a=", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeFreesThePort() throws Exception {
        int port = responder.port();

        responder.close();

        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + responder.port() + path);
    }
}
