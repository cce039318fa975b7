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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * The incumbent's side of {@link WallTime}: one issuance with acme4j 4.x, the way its documentation
 * shows it, in a JVM of its own. A new EC P-256 account key and a new account agreeing to the terms
 * ({@code AccountBuilder}), an order for one name, the http-01 answer served from the JDK's HTTP
 * server on loopback, {@code trigger()} and {@code waitForCompletion}, {@code waitUntilReady},
 * {@code execute(domainKeyPair)}, {@code waitForCompletion}, and the chain and key written to disk.
 * Bouncy Castle is registered as a provider first, as the documentation's example does and as
 * {@code KeyPairUtils} requires.
 * acme4j's waits poll at once, then every 3 seconds when the server sends no {@code Retry-After}
 * (Pebble never does).
 *
 * <p>Trust in the CA's TLS comes from the JVM's default trust store, so launch it with
 * {@code -Djavax.net.ssl.trustStore=...} naming a store holding Pebble's CA.
 *
 * <p>Usage: {@code Acme4jIssue DIRECTORY_URL NAME HTTP01_PORT OUT_DIR}; writes {@code chain.pem}
 * and {@code key.pem} into OUT_DIR and prints the time spent inside the three waits. Exit code 0 on
 * success, 1 on any failure.
 */
public final class Acme4jIssue {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String CHALLENGE_PATH = "/.well-known/acme-challenge/";
    /** Starts the line, printed on success, with the milliseconds spent in acme4j's three waits. */
    static final String WAITED_PREFIX = "acme4j waits ms: ";

    private Acme4jIssue() {
    }

    /**
     * Issues one certificate.
     *
     * @param args the directory URL, the name, the http-01 port on 127.0.0.1 and the output folder
     */
    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: Acme4jIssue DIRECTORY_URL NAME HTTP01_PORT OUT_DIR");
            System.exit(2);
        }
        // As acme4j's example does: its KeyPairUtils asks for the "BC" provider by name.
        Security.addProvider(new BouncyCastleProvider());
        try {
            issue(URI.create(args[0]), args[1], Integer.parseInt(args[2]), Path.of(args[3]));
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void issue(URI directory, String name, int port, Path outDir) throws Exception {
        Map<String, String> answers = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext(CHALLENGE_PATH, exchange -> answer(exchange, answers));
        server.start();
        try {
            KeyPair accountKeyPair = KeyPairUtils.createECKeyPair("secp256r1");
            KeyPair domainKeyPair = KeyPairUtils.createECKeyPair("secp256r1");

            Session session = new Session(directory);
            session.getMetadata().getTermsOfService();
            Account account = new AccountBuilder()
                    .agreeToTermsOfService()
                    .useKeyPair(accountKeyPair)
                    .create(session);

            Order order = account.newOrder().domains(name).create();
            long waited = 0;
            for (Authorization auth : order.getAuthorizations()) {
                waited += authorize(auth, answers);
            }
            long start = System.nanoTime();
            order.waitUntilReady(TIMEOUT);
            waited += System.nanoTime() - start;
            order.execute(domainKeyPair);
            start = System.nanoTime();
            Status status = order.waitForCompletion(TIMEOUT);
            waited += System.nanoTime() - start;
            System.out.println(WAITED_PREFIX + TimeUnit.NANOSECONDS.toMillis(waited));
            if (status != Status.VALID) {
                throw new AcmeException("order ended " + status + ": " + order.getError().orElse(null));
            }

            Certificate certificate = order.getCertificate();
            Files.createDirectories(outDir);
            try (Writer out = Files.newBufferedWriter(outDir.resolve("chain.pem"), StandardCharsets.US_ASCII)) {
                certificate.writeCertificate(out);
            }
            try (Writer out = Files.newBufferedWriter(outDir.resolve("key.pem"), StandardCharsets.US_ASCII)) {
                KeyPairUtils.writeKeyPair(domainKeyPair, out);
            }
        } finally {
            server.stop(0);
        }
    }

    /** Answers the authorization's http-01 challenge; returns the nanoseconds spent in acme4j's wait. */
    private static long authorize(Authorization auth, Map<String, String> answers)
            throws AcmeException, InterruptedException {
        if (auth.getStatus() == Status.VALID) {
            return 0;
        }
        Http01Challenge challenge = auth.findChallenge(Http01Challenge.class)
                .orElseThrow(() -> new AcmeException("no http-01 challenge for " + auth.getIdentifier()));
        answers.put(challenge.getToken(), challenge.getAuthorization());
        if (challenge.getStatus() == Status.VALID) {
            return 0;
        }
        challenge.trigger();
        long start = System.nanoTime();
        Status status = challenge.waitForCompletion(TIMEOUT);
        long waited = System.nanoTime() - start;
        if (status != Status.VALID) {
            throw new AcmeException("challenge ended " + status + ": " + challenge.getError().orElse(null));
        }
        return waited;
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
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
