package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import dev.keyward.acme.testkit.FaultInjectingProxy;
import dev.keyward.acme.testkit.FaultInjectingProxy.Fault;
import dev.keyward.acme.testkit.PebbleExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against servers that fail: a Pebble behind a proxy that resets and stalls connections,
 * a server that accepts and never answers, and servers that answer garbage, HTML or huge bodies.
 */
class FaultToleranceCliTest {
    @RegisterExtension
    static PebbleExtension pebble = new PebbleExtension();

    @TempDir
    Path dir;

    private static InetSocketAddress acme() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), pebble.server().directoryUri().getPort());
    }

    private CliRun issueThrough(FaultInjectingProxy proxy, String label) {
        Path out = dir.resolve(label);
        CliRun run = CliRun.of(List.of("--directory", "https://127.0.0.1:" + proxy.port() + "/dir",
                "--trust", pebble.server().trustAnchorPemFile().toString(), "--request-timeout", "2",
                "--timeout", "60", "issue", "-d", label + "-" + UUID.randomUUID().toString().substring(0, 6)
                        + ".keyward.test", "--http01-port", String.valueOf(pebble.server().http01Port()),
                "--out", out.toString()));
        assertThat(run.exitCode).as("%s, faults %s%n%s", label, proxy.faults(), run).isEqualTo(Keyward.OK);
        assertThat(out.resolve("chain.pem")).exists();
        return run;
    }

    @Test
    void issueRidesOutAConnectionResetBeforeAnyByte() {
        try (FaultInjectingProxy proxy = FaultInjectingProxy.scripted(acme(), List.of(Fault.RESET_AT_ONCE), 1)) {
            issueThrough(proxy, "reset");
            assertThat(proxy.faults()).startsWith(Fault.RESET_AT_ONCE).hasSizeGreaterThan(1);
        }
    }

    @Test
    void issueRidesOutAServerThatStallsOnAConnection() {
        try (FaultInjectingProxy proxy = FaultInjectingProxy.scripted(acme(), List.of(Fault.STALL), 1)) {
            issueThrough(proxy, "stall");
            assertThat(proxy.faults()).startsWith(Fault.STALL).hasSizeGreaterThan(1);
        }
    }

    @Test
    void issueRidesOutConnectionsCutAtEveryPointOfTheFlow() {
        for (long seed = 1; seed <= 10; seed++) {
            try (FaultInjectingProxy proxy = FaultInjectingProxy.scripted(acme(),
                    List.of(Fault.RESET_LATER, Fault.RESET_LATER, Fault.RESET_LATER), seed)) {
                issueThrough(proxy, "cut-" + seed);
                assertThat(proxy.faults()).startsWith(Fault.RESET_LATER);
            }
        }
    }

    @Test
    void issueRidesOutRandomFaults() {
        List<Fault> injected = new ArrayList<>();
        for (long seed = 1; seed <= 4; seed++) {
            try (FaultInjectingProxy proxy = FaultInjectingProxy.start(acme(), 0.4, seed)) {
                issueThrough(proxy, "random-" + seed);
                injected.addAll(proxy.faults());
            }
        }
        assertThat(injected).isNotEmpty();
    }

    @Test
    void aServerThatAcceptsAndNeverAnswersEndsWithinTwoMinutesWithDefaultTimeouts() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // The test is over.
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();

            CliRun run = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> CliRun.of(List.of(
                    "--directory", "https://127.0.0.1:" + silent.getLocalPort() + "/dir", "account", "register")));

            assertThat(run.exitCode).isEqualTo(Keyward.LOCAL_ERROR);
            assertThat(run.errorLines()).singleElement().asString().contains("cannot reach the CA").contains("timed out");
            assertThat(run.err).doesNotContain("\tat ");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aServerThatAnswersRandomBytesEndsWithOneLineAndNoStackTrace() throws Exception {
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread answerer = new Thread(() -> {
                try {
                    while (true) {
                        try (Socket s = server.accept()) {
                            s.getOutputStream().write(garbage);
                        }
                    }
                } catch (IOException closed) {
                    // The test is over.
                }
            });
            answerer.setDaemon(true);
            answerer.start();

            CliRun run = CliRun.of(List.of("--directory", "http://127.0.0.1:" + server.getLocalPort() + "/dir",
                    "--insecure-http", "--timeout", "3", "account", "register"));

            assertThat(run.exitCode).isIn(Keyward.CA_ERROR, Keyward.LOCAL_ERROR);
            assertThat(run.errorLines()).hasSize(1);
            assertThat(run.err).doesNotContain("\tat ");
        }
    }

    @Test
    void anHtmlErrorPageIsReportedAsTheCaRefusingWithItsStatus() throws Exception {
        withHttpServer(exchange -> respond(exchange, 502, "text/html",
                "<html><body><h1>502 Bad Gateway</h1></body></html>"), port -> {
            CliRun run = CliRun.of(List.of("--directory", "http://127.0.0.1:" + port + "/dir", "--insecure-http",
                    "--timeout", "3", "account", "register"));

            assertThat(run.exitCode).isEqualTo(Keyward.CA_ERROR);
            assertThat(run.errorLines()).singleElement().asString().contains("HTTP 502").contains("text/html");
        });
    }

    @Test
    void aHugeBodyIsRefusedWithoutReadingItAll() throws Exception {
        String huge = "{\"newNonce\": \"" + "x".repeat(3 * 1024 * 1024) + "\"}";
        withHttpServer(exchange -> respond(exchange, 200, "application/json", huge), port -> {
            CliRun run = CliRun.of(List.of("--directory", "http://127.0.0.1:" + port + "/dir", "--insecure-http",
                    "account", "register"));

            assertThat(run.exitCode).isEqualTo(Keyward.CA_ERROR);
            assertThat(run.errorLines()).singleElement().asString().contains("limit");
        });
    }

    @Test
    void aDirectoryThatIsNotJsonIsAProtocolErrorOnOneLine() throws Exception {
        withHttpServer(exchange -> respond(exchange, 200, "application/json", "{\"newNonce\": "), port -> {
            CliRun run = CliRun.of(List.of("--directory", "http://127.0.0.1:" + port + "/dir", "--insecure-http",
                    "account", "register"));

            assertThat(run.exitCode).isEqualTo(Keyward.CA_ERROR);
            assertThat(run.errorLines()).singleElement().asString().contains("outside the protocol").contains("JSON");
        });
    }

    @Test
    void anUntrustedCertificateFailsAtOnceInsteadOfBeingRetried() {
        CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> CliRun.of(List.of(
                "--directory", pebble.server().directoryUri().toString(), "account", "register")));

        assertThat(run.exitCode).isEqualTo(Keyward.LOCAL_ERROR);
        assertThat(run.errorLines()).singleElement().asString().contains("--trust");
        assertThat(run.err).doesNotContain("Retrying");
    }

    @Test
    void aPlainHttpDirectoryNeedsTheExplicitOptIn() {
        CliRun run = CliRun.of(List.of("--directory", "http://127.0.0.1:1/dir", "account", "register"));

        assertThat(run.exitCode).isEqualTo(Keyward.USAGE);
        assertThat(run.errorLines()).singleElement().asString().contains("--insecure-http");
    }

    private interface PortTest {
        void run(int port) throws Exception;
    }

    private static void withHttpServer(Consumer<com.sun.net.httpserver.HttpExchange> handler, PortTest test)
            throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> handler.accept(exchange));
        server.start();
        try {
            test.run(server.getAddress().getPort());
        } finally {
            server.stop(0);
        }
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String type, String body) {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // The client hung up early, which is what a size cap does.
        }
    }
}
