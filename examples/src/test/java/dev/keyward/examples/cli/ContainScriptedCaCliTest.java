package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code account contain} against a scripted CA (a loopback HTTP server): one account with one
 * valid order and its certificate, whose orders list or revocation can be made to fail, or whose
 * account is refused as deactivated. The account is never deactivated while something asked for
 * is undone, unless {@code --accept-loss}; "complete" and exit 0 only when everything is done.
 */
class ContainScriptedCaCliTest {
    private static final BigInteger SERIAL = BigInteger.valueOf(0x5eed1234L);

    private HttpServer server;
    private String base;
    private final Map<String, AtomicInteger> posts = new ConcurrentHashMap<>();
    private volatile boolean ordersListBroken;
    private volatile boolean revocationFails;
    private volatile boolean accountRefused;
    private String certificatePem;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        certificatePem = selfIssued();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().set("Replay-Nonce", "n" + System.nanoTime());
        if (exchange.getRequestMethod().equals("POST")) {
            posts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        }
        switch (path) {
            case "/dir" -> send(exchange, 200, "application/json", "{\"newNonce\":\"" + base + "/nonce\","
                    + "\"newAccount\":\"" + base + "/new-account\",\"newOrder\":\"" + base + "/new-order\","
                    + "\"revokeCert\":\"" + base + "/revoke\",\"keyChange\":\"" + base + "/key-change\"}");
            case "/nonce" -> send(exchange, 200, null, null);
            case "/new-account" -> {
                if (accountRefused) {
                    problem(exchange, 403, "unauthorized", "account is deactivated");
                } else {
                    exchange.getResponseHeaders().set("Location", base + "/acct/1");
                    send(exchange, 200, "application/json", account("valid"));
                }
            }
            case "/orders" -> send(exchange, 200, "application/json", ordersListBroken
                    ? "{\"orders\":\"see our web site\"}" : "{\"orders\":[\"" + base + "/order/1\"]}");
            case "/order/1" -> send(exchange, 200, "application/json", "{\"status\":\"valid\",\"identifiers\":"
                    + "[{\"type\":\"dns\",\"value\":\"leaf.keyward.test\"}],\"authorizations\":[\"" + base
                    + "/authz/1\"],\"finalize\":\"" + base + "/finalize/1\",\"certificate\":\"" + base + "/cert/1\"}");
            case "/authz/1" -> send(exchange, 200, "application/json", "{\"status\":\"deactivated\",\"identifier\":"
                    + "{\"type\":\"dns\",\"value\":\"leaf.keyward.test\"},\"challenges\":[]}");
            case "/cert/1" -> send(exchange, 200, "application/pem-certificate-chain", certificatePem);
            case "/revoke" -> {
                if (revocationFails) {
                    problem(exchange, 500, "serverInternal", "revocation is down");
                } else {
                    send(exchange, 200, null, null);
                }
            }
            case "/acct/1" -> send(exchange, 200, "application/json", account("deactivated"));
            default -> problem(exchange, 404, "malformed", "no such resource");
        }
    }

    private String account(String status) {
        return "{\"status\":\"" + status + "\",\"orders\":\"" + base + "/orders\"}";
    }

    private static void problem(HttpExchange exchange, int status, String type, String detail) throws IOException {
        send(exchange, status, "application/problem+json", "{\"type\":\"urn:ietf:params:acme:error:" + type
                + "\",\"detail\":\"" + detail + "\",\"status\":" + status + "}");
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (type != null) {
            exchange.getResponseHeaders().set("Content-Type", type);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private int postsTo(String path) {
        AtomicInteger count = posts.get(path);
        return count == null ? 0 : count.get();
    }

    private CliRun contain(String... extra) throws Exception {
        Path key = dir.resolve("stolen.pem");
        if (!key.toFile().exists()) {
            KeyFiles.write(key, KeyType.EC_P256.generate());
        }
        List<String> args = new ArrayList<>(List.of("--directory", base + "/dir", "--insecure-http",
                "--account-key", key.toString(), "account", "contain", "--revoke-certificates", "--deactivate"));
        args.addAll(List.of(extra));
        return CliRun.of(args);
    }

    @Test
    void anOrdersListOutsideRfc8555LeavesTheAccountActiveAndExitsOneWithTheReason() throws Exception {
        ordersListBroken = true;

        CliRun run = contain();

        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.CA_ERROR);
        assertThat(postsTo("/acct/1")).isZero();
        assertThat(postsTo("/revoke")).isZero();
        assertThat(run.out).contains("FAILED ORDERS_LIST " + base + "/orders")
                .contains("NOT_DONE ACCOUNT_DEACTIVATION " + base + "/acct/1: held back: the orders list failed");
        assertThat(run.err).contains("Containment incomplete:")
                .contains("could not all be listed: revoke each one you hold with its own key: keyward revoke"
                        + " --cert FILE --cert-key KEYFILE")
                .contains("or pass --accept-loss").doesNotContain("Containment complete.");
    }

    @Test
    void aRevocationThatFailsHoldsDeactivationBackAndTheRerunCompletes() throws Exception {
        revocationFails = true;

        CliRun first = contain();
        revocationFails = false;
        CliRun second = contain();

        assertThat(first.exitCode).as(first.toString()).isEqualTo(Keyward.CA_ERROR);
        assertThat(first.out).contains("FAILED CERTIFICATE_REVOCATION " + base + "/cert/1")
                .contains("NOT_DONE ACCOUNT_DEACTIVATION");
        assertThat(first.err).contains("Not revoked: " + base + "/cert/1 serial " + SERIAL.toString(16)
                + "; revoke it with its own key: keyward revoke --cert FILE --cert-key KEYFILE");
        assertThat(second.exitCode).as(second.toString()).isEqualTo(Keyward.OK);
        assertThat(second.out).contains("DONE CERTIFICATE_REVOCATION").contains("DONE ACCOUNT_DEACTIVATION");
        assertThat(second.err).contains("Containment complete.");
        assertThat(postsTo("/revoke")).isEqualTo(2);
        assertThat(postsTo("/acct/1")).isEqualTo(1);
    }

    @Test
    void acceptLossDeactivatesAnywayAndNamesTheCertificateLeftWithTheCommandThatRevokesIt() throws Exception {
        revocationFails = true;

        CliRun run = contain("--accept-loss");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.CA_ERROR);
        assertThat(postsTo("/acct/1")).isEqualTo(1);
        assertThat(run.out).contains("DONE ACCOUNT_DEACTIVATION " + base + "/acct/1: status deactivated, though"
                + " certificate " + base + "/cert/1 is not revoked");
        assertThat(run.err).contains("Not revoked: " + base + "/cert/1 serial " + SERIAL.toString(16)
                + "; revoke it with its own key: keyward revoke --cert FILE --cert-key KEYFILE")
                .contains("The account is deactivated and can no longer revoke").doesNotContain("Containment complete.");
    }

    @Test
    void aRerunAfterDeactivationIsNeverCompleteForRevocationsItCannotCheck() throws Exception {
        accountRefused = true;

        CliRun run = contain();

        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.CA_ERROR);
        assertThat(run.out).contains("ALREADY_DONE ACCOUNT_DEACTIVATION").contains("UNKNOWN CERTIFICATE_REVOCATION");
        assertThat(run.err).contains("Containment incomplete:").contains("keyward revoke --cert FILE --cert-key KEYFILE")
                .doesNotContain("Containment complete.");
        assertThat(postsTo("/revoke")).isZero();
    }

    /** A self-issued, unexpired certificate with {@link #SERIAL}. */
    private static String selfIssued() throws Exception {
        KeyPair pair = KeyType.EC_P256.generate();
        X500Name name = new X500Name("CN=leaf.keyward.test");
        Instant now = Instant.now();
        X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name, SERIAL, Date.from(now.minusSeconds(60)),
                Date.from(now.plusSeconds(86400)), name, pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(holder.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
