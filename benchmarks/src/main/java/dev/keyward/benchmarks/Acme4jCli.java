package dev.keyward.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * acme4j as a command-line client, for {@code scripts/bench.sh}'s whole-process row: what a user who
 * wraps acme4j's documented flow in a {@code main} would run. A new EC P-256 account key and account
 * agreeing to the terms, an order for the names, each authorization's http-01 answer served from the
 * JDK's HTTP server, {@code trigger()} and {@code waitForCompletion}, {@code waitUntilReady},
 * {@code execute(domainKeyPair)}, {@code waitForCompletion}, and {@code chain.pem} and {@code key.pem}
 * written. Bouncy Castle is registered first, as acme4j's example does. acme4j's own defaults throughout (its waits poll at once, then every 3 s without a
 * {@code Retry-After}, which Pebble never sends).
 *
 * <p>Trust in the CA's TLS comes from the JVM's default trust store, as acme4j documents: start it
 * with {@code -Djavax.net.ssl.trustStore=STORE}.
 *
 * <p>Usage: {@code Acme4jCli --directory URL --domain NAME [--domain NAME...] --http01-port PORT --out DIR}.
 * Exit 0 on success, 1 when the CA fails the order, 2 on a usage error.
 */
public final class Acme4jCli {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String CHALLENGE_PATH = "/.well-known/acme-challenge/";

    private Acme4jCli() {
    }

    /**
     * Issues one certificate.
     *
     * @param args the options above
     */
    public static void main(String[] args) {
        URI directory = null;
        List<String> domains = new ArrayList<>();
        Integer port = null;
        Path out = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--directory" -> directory = URI.create(require(value, args[i]));
                    case "--domain" -> domains.add(require(value, args[i]));
                    case "--http01-port" -> port = Integer.valueOf(require(value, args[i]));
                    case "--out" -> out = Path.of(require(value, args[i]));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            if (directory == null || domains.isEmpty() || port == null || out == null) {
                throw new IllegalArgumentException("--directory, --domain, --http01-port and --out are required");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("Acme4jCli: " + e.getMessage());
            System.err.println("usage: Acme4jCli --directory URL --domain NAME... --http01-port PORT --out DIR");
            System.exit(2);
        }
        // As acme4j's example does: its KeyPairUtils asks for the "BC" provider by name.
        Security.addProvider(new BouncyCastleProvider());
        try {
            issue(directory, domains, port, out);
        } catch (Exception e) {
            System.err.println("Acme4jCli: " + e);
            System.exit(1);
        }
        System.exit(0);
    }

    private static String require(String value, String option) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private static void issue(URI directory, List<String> domains, int port, Path out) throws Exception {
        Map<String, String> answers = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext(CHALLENGE_PATH, exchange -> answer(exchange, answers));
        server.start();
        try {
            KeyPair accountKeyPair = KeyPairUtils.createECKeyPair("secp256r1");
            KeyPair domainKeyPair = KeyPairUtils.createECKeyPair("secp256r1");
            Session session = new Session(directory);
            Account account = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKeyPair).create(session);
            Order order = account.newOrder().domains(domains).create();
            for (Authorization auth : order.getAuthorizations()) {
                if (auth.getStatus() == Status.VALID) {
                    continue;
                }
                Http01Challenge challenge = auth.findChallenge(Http01Challenge.class)
                        .orElseThrow(() -> new AcmeException("no http-01 challenge for " + auth.getIdentifier()));
                answers.put(challenge.getToken(), challenge.getAuthorization());
                challenge.trigger();
                Status status = challenge.waitForCompletion(TIMEOUT);
                if (status != Status.VALID) {
                    throw new AcmeException("challenge ended " + status + ": " + challenge.getError().orElse(null));
                }
            }
            order.waitUntilReady(TIMEOUT);
            order.execute(domainKeyPair);
            Status status = order.waitForCompletion(TIMEOUT);
            if (status != Status.VALID) {
                throw new AcmeException("order ended " + status + ": " + order.getError().orElse(null));
            }
            Files.createDirectories(out);
            try (Writer w = Files.newBufferedWriter(out.resolve("chain.pem"), StandardCharsets.US_ASCII)) {
                order.getCertificate().writeCertificate(w);
            }
            try (Writer w = Files.newBufferedWriter(out.resolve("key.pem"), StandardCharsets.US_ASCII)) {
                KeyPairUtils.writeKeyPair(domainKeyPair, w);
            }
        } finally {
            server.stop(0);
        }
    }

    private static void answer(HttpExchange exchange, Map<String, String> answers) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String answer = answers.get(path.substring(CHALLENGE_PATH.length()));
            if (answer == null || !"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = answer.getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(body);
            }
        }
    }
}
