package dev.keyward.acme.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three certificate manager JVMs share a PostgreSQL database and a Pebble issuing 40-second
 * certificates: one issues, the holder of the first renewal is killed with SIGKILL after it stored
 * its order, another takes the set over once the lease lapsed and completes that same order, and
 * the next renewal is again made once.
 */
class PostgresManagerFleetProcessTest {
    static final Duration LIFETIME = Duration.ofSeconds(40);
    static final int LEASE_SECONDS = 4;

    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder().server(PebbleServer.builder().authorizationReusePercent(0)
            .certificateValidity(LIFETIME)).build();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @TempDir
    Path logs;

    final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopJvms() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void threeManagerJvmsRenewOnceAndAnotherTakesOverTheKilledHoldersRenewalWithinTheLease() throws Exception {
        String url = postgres.newDatabase();
        String domain = "www-" + UUID.randomUUID().toString().substring(0, 8) + ".fleet.keyward.test";
        String set = domain.substring(0, domain.indexOf('.'));
        String certificate = "certificates/" + set + "/certificate.pem";
        String order = "certificates/" + set + "/order.properties";
        PebbleLog log = PebbleLog.from(pebble.server().workDirectory());
        try (JdbcCertificateStorage storage = JdbcCertificateStorage.builder(url).build().createSchema()) {
            for (int i = 1; i <= 3; i++) {
                processes.add(start(url, domain, i));
            }

            BigInteger first = await("the first certificate", () -> serial(storage, certificate), Duration.ofSeconds(120));
            await("a renewal whose order is stored", () -> storage.load(order).isPresent()
                    && first.equals(serial(storage, certificate).orElse(null)) ? Optional.of(true) : Optional.empty(),
                    Duration.ofSeconds(120));
            long holderPid = holderPid(url, certificate);
            Process holder = processes.stream().filter(p -> p.pid() == holderPid).findFirst().orElseThrow();
            Instant killed = Instant.now();
            holder.destroyForcibly();
            PebbleLog sinceKill = PebbleLog.from(pebble.server().workDirectory());
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();

            long taker = await("another holder", () -> {
                long pid = holderPid(url, certificate);
                return pid > 0 && pid != holderPid ? Optional.of(pid) : Optional.empty();
            }, Duration.ofSeconds(60));
            Duration takeover = Duration.between(killed, Instant.now());
            BigInteger second = await("the renewed certificate", () -> serial(storage, certificate).filter(s -> !s.equals(first)),
                    Duration.ofSeconds(60));
            Duration completed = Duration.between(killed, Instant.now());
            int ordersAfterKill = sinceKill.newOrders();
            int finalizedAfterKill = sinceKill.finalizations();
            System.out.printf("takeover after %d ms (lease %d s, lock retry 1 s); renewal completed %d ms after the kill%n",
                    takeover.toMillis(), LEASE_SECONDS, completed.toMillis());

            BigInteger third = await("the next renewal", () -> serial(storage, certificate).filter(s -> !s.equals(second)),
                    Duration.ofSeconds(90));
            List<Process> survivors = processes.stream().filter(p -> p.pid() != holderPid).toList();
            for (Process p : survivors) {
                Path out = logs.resolve("manager-" + (processes.indexOf(p) + 1) + ".log");
                await("manager " + p.pid() + " serves the third certificate", () -> Files.readAllLines(out).stream()
                        .anyMatch(l -> l.matches("(loaded|succeeded) " + set + " " + third.toString(16)))
                        ? Optional.of(true) : Optional.empty(), Duration.ofSeconds(60));
            }

            assertThat(takeover).as("taken over by jvm %s within the lease and the lock retry, plus polling", taker)
                    .isLessThan(Duration.ofSeconds(LEASE_SECONDS + 1 + 5));
            assertThat(log.finalizations()).as("finalized: the first, the renewal resumed by the taker, the next renewal")
                    .isEqualTo(3);
            assertThat(ordersAfterKill).as("the taker resumed the killed holder's stored order: no newOrder").isZero();
            assertThat(finalizedAfterKill).as("and finalized it").isEqualTo(1);
            // a renewal sends replaces; a refused replaces is sent once more without it (acme-core): one extra newOrder at most
            assertThat(log.newOrders()).as("requests %s", log.paths()).isBetween(3, 4);
            Map<String, Long> succeeded = allLogLines().stream().filter(l -> l.startsWith("succeeded " + set + " "))
                    .collect(Collectors.groupingBy(l -> l.substring(l.lastIndexOf(' ') + 1), Collectors.counting()));
            assertThat(succeeded).as("each certificate issued by one manager")
                    .containsOnlyKeys(first.toString(16), second.toString(16), third.toString(16))
                    .allSatisfy((serial, count) -> assertThat(count).isEqualTo(1L));
            assertThat(storage.load(order)).as("no issuance left in progress").isEmpty();
        }
    }

    private Process start(String url, String domain, int n) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                ManagerJvmMain.class.getName(), url, pebble.server().directoryUri().toString(),
                pebble.server().trustAnchorPemFile().toString(), pebble.server().dns().managementUri().toString(),
                String.valueOf(LEASE_SECONDS), "3000", "300", domain);
        Path out = logs.resolve("manager-" + n + ".log");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    private List<String> allLogLines() throws IOException {
        List<String> lines = new ArrayList<>();
        try (var files = Files.list(logs)) {
            for (Path f : files.toList()) {
                lines.addAll(Files.readAllLines(f));
            }
        }
        return lines;
    }

    private interface Probe<T> {
        Optional<T> get() throws Exception;
    }

    /** Polls until the probe yields, or fails naming what was awaited with the managers' logs. */
    private <T> T await(String what, Probe<T> probe, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            TimeUnit.MILLISECONDS.sleep(25);
        }
        throw new AssertionError("no " + what + " within " + timeout + "; logs:\n" + String.join("\n", allLogLines()));
    }

    private static Optional<BigInteger> serial(JdbcCertificateStorage storage, String key) throws Exception {
        Optional<byte[]> pem = storage.load(key);
        if (pem.isEmpty()) {
            return Optional.empty();
        }
        X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.get()));
        return Optional.of(leaf.getSerialNumber());
    }

    /** The pid of the JVM holding the set's lock now (its holder is jvmPID/...), or -1 when none. */
    private static long holderPid(String url, String certificateKey) throws Exception {
        String lock = certificateKey.substring(0, certificateKey.lastIndexOf('/'));
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement s = c.prepareStatement("SELECT holder FROM keyward_storage_lock WHERE lock_name = ?")) {
            s.setString(1, lock);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null) {
                    return -1;
                }
                String holder = rs.getString(1);
                return Long.parseLong(holder.substring(3, holder.indexOf('/')));
            }
        }
    }
}
