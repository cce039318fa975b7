package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Deadlines are hard: a CA that stops answering surfaces as a typed error within the deadline of
 * the whole operation, not after each request's own timeouts and retries; and a CA that cannot be
 * reached at all fails at once.
 */
class DeadlinesTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    /** Room for a busy machine: the assertion is that the deadline holds, not how fast the error comes. */
    private static final Duration MARGIN = Duration.ofSeconds(5);

    @Test
    void aConnectionRefusedOnTheFirstRequestFailsAtOnceWithoutRetrying() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        FakeClock clock = new FakeClock();
        AcmeClient client = AcmeClient.builder(URI.create("http://127.0.0.1:" + closedPort + "/dir"))
                .allowPlainHttp(true).clock(clock).build();

        assertThatThrownBy(client::fetchDirectory).isInstanceOf(AcmeNetworkException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort);
        assertThat(clock.sleeps()).as("no retry waits").isEmpty();
    }

    @Test
    void aCaThatStopsAnsweringMidFlowEndsTheIssuanceWithinItsDeadline() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            acme.stubBasics();
            acme.wireMock().stubFor(post(urlEqualTo("/order-plz")).willReturn(FakeAcmeServer.json(201,
                    acme.fixture("order-pending.json", json -> {
                        json.putArray("authorizations").add("http://127.0.0.1:" + silent.port() + "/authZ/1");
                    })).withHeader("Location", acme.base() + "/my-order/TOlocE8rfgo")));
            AcmeClient client = acme.clientBuilder(new FakeClock(java.time.Instant.now()))
                    .clock(AcmeClock.system()).build();
            Account account = acme.account(client, TestKeys.EC_P256.signer());
            Duration deadline = Duration.ofSeconds(3);
            long start = System.nanoTime();

            assertThatThrownBy(() -> account.issue(IssuanceRequest.builder().domains("www.example.org", "example.org")
                    .certificateKey(TestKeys.EC_P384.signer()).deadline(deadline).build()))
                    .isInstanceOf(AcmeTimeoutException.class);

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).as("the whole issuance ends at its deadline, not after the requests' own timeouts")
                    .isLessThan(deadline.plus(MARGIN));
            assertThat(silent.accepted()).isPositive();
        }
    }

    @Test
    void aCaSilentFromTheFirstRequestOfTheIssuanceSurfacesAsATypedTimeoutWithinTheDeadline() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            acme.wireMock().stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo(FakeAcmeServer.DIRECTORY))
                    .willReturn(FakeAcmeServer.json(200, acme.fixture("directory.json",
                            json -> json.put("newOrder", "http://127.0.0.1:" + silent.port() + "/new-order")))));
            acme.stubNewNonce();
            acme.stubNewAccount();
            AcmeClient client = acme.clientBuilder(new FakeClock(java.time.Instant.now()))
                    .clock(AcmeClock.system()).build();
            Account account = acme.account(client, TestKeys.EC_P256.signer());
            Duration deadline = Duration.ofSeconds(3);
            long start = System.nanoTime();

            assertThatThrownBy(() -> account.issue(IssuanceRequest.builder().domains("www.example.org")
                    .certificateKey(TestKeys.EC_P384.signer()).deadline(deadline).build()))
                    .isInstanceOf(AcmeTimeoutException.class);

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).as("a CA silent from the first request ends the issuance at its deadline")
                    .isLessThan(deadline.plus(MARGIN));
            assertThat(silent.accepted()).isPositive();
        }
    }

    /** Accepts connections and never answers: a CA that stalled. */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> held = new ArrayList<>();
        private final Thread acceptor;

        SilentServer() throws IOException {
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        synchronized (held) {
                            held.add(s);
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-ca");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int accepted() {
            synchronized (held) {
                return held.size();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            synchronized (held) {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }
}
