package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleProfile;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keyward run --config FILE} as a real process against Pebble 2.10: it issues, sees a renewal
 * window moved to now within one check interval, renews, writes the files, runs the hook, and stops
 * with exit 0 on SIGTERM; killed with SIGKILL in the middle of a renewal and started again, the
 * previous files are still in place and valid, the renewal completes by resuming its order, and no
 * second order is made.
 */
class RunConfigProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(150);
    private static final Pattern NEW_ORDER = Pattern.compile("POST /order-plz -> calling handler");

    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder().server(PebbleServer.builder()
            .authorizationReusePercent(0).nonceRejectPercent(0)
            // Pebble asks the client to wait before polling: a renewal stays in progress long enough to be killed.
            .retryAfter(Duration.ofSeconds(2), Duration.ofSeconds(2))
            .profiles(Map.of("shortlived", new PebbleProfile("Six days", Duration.ofDays(6))))).build();

    @TempDir
    Path dir;

    private Path config(String set, String domain) throws IOException {
        PebbleServer server = pebble.server();
        String text = "directory: " + server.directoryUri() + "\n"
                + "trust: [" + server.trustAnchorPemFile() + "]\n"
                + "account-key: account.pem\n"
                + "state: state\n"
                + "renewal-info-interval: 2s\n"
                + "hook: echo \"$KEYWARD_SET $KEYWARD_CERT $KEYWARD_CHAIN $KEYWARD_KEY\" >> " + dir.resolve("hook.log") + "\n"
                + "hook-timeout: 20s\n"
                + "certificates:\n"
                + "  - name: " + set + "\n"
                + "    domains: [" + domain + "]\n"
                + "    out: out\n"
                + "    http01-port: " + server.http01Port() + "\n"
                + "    profile: shortlived\n";
        Path file = dir.resolve("keyward.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void runRenewsWithinOneCheckIntervalOfTheWindowMovingToNowRunsTheHookAndStopsOnSigterm() throws Exception {
        Path config = config("web", RenewConfigCliTest.name("run"));
        Path out = dir.resolve("out");
        try (KeywardProcess run = KeywardProcess.start(dir, "run", "--config", config.toString())) {
            run.await(l -> l.contains("web: hook ran"), WAIT);
            X509Certificate first = RenewConfigCliTest.leaf(out.resolve("cert.pem"));
            assertThat(KeyFiles.read(out.resolve("key.pem")).getPublic()).isEqualTo(first.getPublicKey());
            assertThat(Files.readAllLines(dir.resolve("hook.log"))).containsExactly(
                    "web " + out.resolve("cert.pem") + " " + out.resolve("chain.pem") + " " + out.resolve("key.pem"));

            Instant moved = Instant.now();
            pebble.server().setRenewalInfo(first, "{\"suggestedWindow\":{\"start\":\"" + moved.minus(Duration.ofHours(1))
                    + "\",\"end\":\"" + moved.plusSeconds(1) + "\"}}");
            run.await(l -> l.contains("web: renewing"), WAIT);
            run.await(l -> l.contains("web: hook ran"), WAIT);
            Duration latency = Duration.between(moved, Instant.now());
            X509Certificate renewed = RenewConfigCliTest.leaf(out.resolve("cert.pem"));
            assertThat(renewed.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
            assertThat(KeyFiles.read(out.resolve("key.pem")).getPublic()).isEqualTo(renewed.getPublicKey());
            assertThat(Files.readAllLines(dir.resolve("hook.log"))).hasSize(2);
            System.out.println("[figure] run: renewal landed " + latency.toMillis() + " ms after the window moved to now"
                    + " (renewal-info-interval 2s, Pebble Retry-After 2s on authz and order)");

            int code = run.terminate(Duration.ofSeconds(30));
            assertThat(code).as(run.transcript()).isZero();
            assertThat(run.transcript()).contains("keyward run: stopping");
        }
    }

    @Test
    void killedDuringARenewalAndRestartedTheOldFilesStayTheOrderIsResumedAndNoSecondOrderIsMade() throws Exception {
        Path config = config("api", RenewConfigCliTest.name("kill"));
        Path out = dir.resolve("out");
        long mark = Files.size(pebbleLog());
        X509Certificate first;
        try (KeywardProcess run = KeywardProcess.start(dir, "run", "--config", config.toString())) {
            run.await(l -> l.contains("api: hook ran"), WAIT);
            first = RenewConfigCliTest.leaf(out.resolve("cert.pem"));
            Path setState = dir.resolve("state/certificates/api");
            try (WatchService watch = FileSystems.getDefault().newWatchService()) {
                setState.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
                Instant now = Instant.now();
                pebble.server().setRenewalInfo(first, "{\"suggestedWindow\":{\"start\":\"" + now.minus(Duration.ofHours(2))
                        + "\",\"end\":\"" + now.minus(Duration.ofHours(1)) + "\"}}");
                awaitCreated(watch, setState.resolve("order.properties"), run);
            }
            run.kill();
            assertThat(run.transcript().lines().filter(l -> l.contains("api: wrote"))).as("only the first issuance")
                    .hasSize(1);
        }
        assertThat(Files.exists(dir.resolve("state/certificates/api/order.properties"))).as("an order in progress").isTrue();
        assertThat(RenewConfigCliTest.leaf(out.resolve("cert.pem"))).as("the previous certificate is still there")
                .isEqualTo(first);
        first.checkValidity();
        assertThat(KeyFiles.read(out.resolve("key.pem")).getPublic()).isEqualTo(first.getPublicKey());
        assertThat(newOrdersSince(mark)).as("the first issuance and the interrupted renewal").isEqualTo(2);
        java.net.URI interrupted = java.net.URI.create(Files.readAllLines(
                dir.resolve("state/certificates/api/order.properties")).stream()
                .filter(l -> l.startsWith("order=")).findFirst().orElseThrow().substring("order=".length()));

        try (KeywardProcess again = KeywardProcess.start(dir, "run", "--config", config.toString())) {
            again.await(l -> l.contains("api: hook ran"), WAIT);
            X509Certificate renewed = RenewConfigCliTest.leaf(out.resolve("cert.pem"));
            assertThat(renewed.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
            assertThat(KeyFiles.read(out.resolve("key.pem")).getPublic()).isEqualTo(renewed.getPublicKey());
            dev.keyward.acme.Status left = orderStatus(interrupted);
            if (left == dev.keyward.acme.Status.INVALID) {
                // The kill came after the challenge was answered, so the CA validated against a dead
                // responder and the order failed: then, and only then, the renewal needs a new order.
                assertThat(newOrdersSince(mark)).as("a new order only because the old one is invalid").isEqualTo(3);
            } else {
                assertThat(left).as("the resumed order").isEqualTo(dev.keyward.acme.Status.VALID);
                assertThat(newOrdersSince(mark)).as("the renewal resumed its order: no second one").isEqualTo(2);
            }
            assertThat(openOrders()).as("no order is left pending").isEmpty();
            assertThat(Files.exists(dir.resolve("state/certificates/api/order.properties"))).isFalse();
            assertThat(again.terminate(Duration.ofSeconds(30))).as(again.transcript()).isZero();
        }
    }

    /** The status of an order of the config's account, as the CA has it. */
    private dev.keyward.acme.Status orderStatus(java.net.URI order) throws Exception {
        try (dev.keyward.acme.AcmeClient client = client()) {
            return account(client).fetchOrder(order).status();
        }
    }

    /** The account's orders that are neither valid nor invalid. */
    private List<java.net.URI> openOrders() throws Exception {
        try (dev.keyward.acme.AcmeClient client = client()) {
            dev.keyward.acme.Account account = account(client);
            List<java.net.URI> open = new java.util.ArrayList<>();
            for (java.net.URI order : account.fetchOrderUrls()) {
                dev.keyward.acme.Status status = account.fetchOrder(order).status();
                if (status != dev.keyward.acme.Status.VALID && status != dev.keyward.acme.Status.INVALID) {
                    open.add(order);
                }
            }
            return open;
        }
    }

    private static dev.keyward.acme.AcmeClient client() {
        return dev.keyward.acme.AcmeClient.builder(pebble.server().directoryUri())
                .trustAnchors(pebble.server().trustAnchors()).build();
    }

    private dev.keyward.acme.Account account(dev.keyward.acme.AcmeClient client) throws Exception {
        java.security.KeyPair pair = KeyFiles.read(dir.resolve("account.pem"));
        return client.findAccount(dev.keyward.acme.Signers.jca(pair.getPrivate(), pair.getPublic()));
    }

    /** Waits for the file to be created in the watched directory (event-driven; its existence is checked each second too). */
    private static void awaitCreated(WatchService watch, Path file, KeywardProcess run) throws InterruptedException {
        String name = file.getFileName().toString();
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(file)) {
                return;
            }
            WatchKey key = watch.poll(Math.min(1_000_000_000L, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (key == null) {
                continue;
            }
            for (WatchEvent<?> event : key.pollEvents()) {
                if (name.equals(String.valueOf(event.context()))) {
                    return;
                }
            }
            key.reset();
        }
        throw new AssertionError(name + " was not created within " + WAIT + "; keyward said:\n" + run.transcript());
    }

    private static Path pebbleLog() {
        return pebble.server().workDirectory().resolve("pebble.log");
    }

    private static int newOrdersSince(long mark) throws IOException {
        try (InputStream in = Files.newInputStream(pebbleLog())) {
            in.skipNBytes(mark);
            Matcher m = NEW_ORDER.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            int count = 0;
            while (m.find()) {
                count++;
            }
            return count;
        }
    }
}
