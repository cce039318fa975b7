package dev.keyward.acme.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.AcmeClock;
import dev.keyward.acme.manager.CertificateManager;
import dev.keyward.acme.manager.EventListener;
import dev.keyward.acme.manager.ManagedCertificate;
import dev.keyward.acme.manager.StorageLock;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three certificate managers in one JVM, each with its own {@link JdbcCertificateStorage} pool,
 * share a database (a subclass gives it) and a Pebble: each set is issued once, each due renewal
 * made once, and every manager serves what the one that issued stored.
 */
abstract class SharedManagersContract {
    /** Short certificates, renewed by the managers at half their lifetime (minus jitter) on the real clock. */
    static final Duration LIFETIME = Duration.ofSeconds(30);

    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder().server(PebbleServer.builder().authorizationReusePercent(0)
            .certificateValidity(LIFETIME)).build();

    final List<JdbcCertificateStorage> storages = new ArrayList<>();
    final List<CertificateManager> managers = new ArrayList<>();
    final List<String> succeeded = new CopyOnWriteArrayList<>();
    final List<String> failures = new CopyOnWriteArrayList<>();

    /** A JDBC URL of an empty database. */
    abstract String newJdbcUrl() throws Exception;

    @AfterEach
    void close() {
        managers.forEach(CertificateManager::close);
        storages.forEach(JdbcCertificateStorage::close);
    }

    @Test
    void threeManagersSharingADatabaseIssueEachSetOnceAndEachDueRenewalOnce() throws Exception {
        String url = newJdbcUrl();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        List<String> domains = List.of("alpha-" + suffix + ".fleet.keyward.test", "beta-" + suffix + ".fleet.keyward.test");
        List<String> sets = domains.stream().map(d -> d.substring(0, d.indexOf('.'))).toList();
        AcmeClock clock = AcmeClock.system();
        EventListener events = new EventListener() {
            @Override
            public void issuanceSucceeded(String set, ManagedCertificate certificate) {
                succeeded.add(set);
            }

            @Override
            public void issuanceFailed(String set, Exception failure, int consecutiveFailures, Instant nextAttempt) {
                failures.add(set + ": " + failure);
            }
        };
        for (int i = 1; i <= 3; i++) {
            JdbcCertificateStorage storage = JdbcCertificateStorage.builder(url).holderName("manager" + i)
                    .leaseTime(Duration.ofSeconds(30)).build().createSchema();
            storages.add(storage);
            managers.add(FleetManagers.manager(storage, pebble.server().directoryUri(), pebble.server().trustAnchors(),
                    new ChallengeTestDns(pebble.server().dns()), clock, events, false, domains));
        }
        PebbleLog log = PebbleLog.from(pebble.server().workDirectory());

        all(CertificateManager::start);
        assertThat(log.finalizations()).as("first issuances: one per set, not one per manager").isEqualTo(2);
        assertThat(succeeded).containsExactlyInAnyOrderElementsOf(sets);
        pastLockRetry();
        all(CertificateManager::runDueWork);
        List<Set<BigInteger>> first = servedSerials(sets);
        assertThat(first).as("every manager serves the one certificate of each set").allSatisfy(s -> assertThat(s).hasSize(1));
        assertThat(log.finalizations()).isEqualTo(2);

        Instant allDue = managers.stream().flatMap(m -> sets.stream().map(set -> m.nextIssuance(set).orElseThrow()))
                .max(Instant::compareTo).orElseThrow();
        assertThat(allDue).as("renewal at half the lifetime").isBefore(Instant.now().plus(LIFETIME));
        clock.sleep(Duration.between(Instant.now(), allDue).plusMillis(100)); // every manager finds both sets due
        all(CertificateManager::runDueWork);
        pastLockRetry();
        all(CertificateManager::runDueWork);

        assertThat(log.finalizations()).as("one renewal per set, not one per manager").isEqualTo(4);
        // a renewal sends replaces; a refused replaces is sent once more without it (acme-core): one extra newOrder at most
        assertThat(log.newOrders()).as("newOrder requests; failed attempts: %s", failures).isBetween(4, 6);
        assertThat(succeeded).hasSize(4);
        List<Set<BigInteger>> renewed = servedSerials(sets);
        assertThat(renewed).allSatisfy(s -> assertThat(s).hasSize(1));
        for (int i = 0; i < sets.size(); i++) {
            assertThat(renewed.get(i)).as("renewed %s", sets.get(i)).doesNotContainAnyElementsOf(first.get(i));
        }
    }

    @Test
    void aHolderWhoseLeaseWasTakenOverMidIssuanceStoresNoCertificateAndReportsTheLostLock() throws Exception {
        String url = newJdbcUrl();
        String domain = "paused-" + UUID.randomUUID().toString().substring(0, 8) + ".fleet.keyward.test";
        String set = domain.substring(0, domain.indexOf('.'));
        JdbcCertificateStorage stalled = JdbcCertificateStorage.builder(url).holderName("stalled")
                .leaseTime(Duration.ofSeconds(30)).build().createSchema();
        JdbcCertificateStorage taker = JdbcCertificateStorage.builder(url).holderName("taker").build();
        storages.add(stalled);
        storages.add(taker);
        ChallengeTestDns answers = new ChallengeTestDns(pebble.server().dns());
        List<StorageLock> taken = new CopyOnWriteArrayList<>();
        dev.keyward.acme.DnsProvider stallingDns = new dev.keyward.acme.DnsProvider() {
            @Override
            public void setTxt(String name, String value) throws Exception {
                // the holder stalls past its lease while its order is under way; another manager takes the set over
                try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                    s.executeUpdate("UPDATE keyward_storage_lock SET lease_until = CURRENT_TIMESTAMP - INTERVAL '1' SECOND"
                            + " WHERE lock_name = 'certificates/" + set + "'");
                }
                taken.add(taker.tryLock("certificates/" + set).orElseThrow());
                answers.setTxt(name, value);
            }

            @Override
            public void removeTxt(String name, String value) {
                answers.removeTxt(name, value);
            }
        };
        CertificateManager manager = FleetManagers.manager(stalled, pebble.server().directoryUri(),
                pebble.server().trustAnchors(), stallingDns, AcmeClock.system(), new EventListener() {
                    @Override
                    public void issuanceFailed(String s, Exception failure, int consecutiveFailures, Instant nextAttempt) {
                        failures.add(failure.getClass().getSimpleName() + ": " + failure.getMessage());
                    }
                }, false, List.of(domain));
        managers.add(manager);

        manager.start();

        assertThat(taken).hasSize(1);
        assertThat(failures).singleElement().asString().startsWith("LockLostException: the lock of certificates/" + set
                + " (fencing token 1) is no longer held: another holder took it over with fencing token 2");
        assertThat(taker.load("certificates/" + set + "/certificate.pem")).as("the stale holder wrote nothing").isEmpty();
        assertThat(taker.load("certificates/" + set + "/order.properties")).as("the order stays, for the new holder to resume")
                .isPresent();
        assertThat(manager.certificate(set)).as("nothing served that is not stored: the new holder's certificate will be")
                .isEmpty();
    }

    /** Waits past the lock retry (1 second) of the managers that found a set locked. */
    private static void pastLockRetry() throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(1200);
    }

    /** For each set, the serials its three managers serve. */
    private List<Set<BigInteger>> servedSerials(List<String> sets) {
        List<Set<BigInteger>> out = new ArrayList<>();
        for (String set : sets) {
            out.add(managers.stream().map(m -> m.certificate(set)
                    .orElseThrow(() -> new AssertionError(set + " not served; failures " + failures)).leaf().getSerialNumber())
                    .collect(Collectors.toSet()));
        }
        return out;
    }

    private interface Work {
        void run(CertificateManager manager) throws Exception;
    }

    /** Runs the work on the three managers at once, each on its own thread. */
    private void all(Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(managers.size());
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (CertificateManager m : managers) {
                tasks.add(() -> {
                    work.run(m);
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(tasks, 240, TimeUnit.SECONDS)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
