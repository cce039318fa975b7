package dev.keyward.acme.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.manager.LockLostException;
import dev.keyward.acme.manager.StorageLock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link JdbcCertificateStorage} does on whichever database a subclass gives: values as
 * bytes with secret ones marked, one holder per lock across storages with separate pools, a
 * larger fencing token at every taking, writes of a taken-over holder refused.
 */
abstract class CertificateStorageContract {
    String jdbcUrl;
    final List<JdbcCertificateStorage> storages = new ArrayList<>();

    /** A JDBC URL of an empty database. */
    abstract String newJdbcUrl() throws Exception;

    @BeforeEach
    void open() throws Exception {
        jdbcUrl = newJdbcUrl();
    }

    @AfterEach
    void close() {
        storages.forEach(JdbcCertificateStorage::close);
    }

    JdbcCertificateStorage storage(Duration lease, String holder) throws Exception {
        JdbcCertificateStorage storage = JdbcCertificateStorage.builder(jdbcUrl).leaseTime(lease).holderName(holder).build()
                .createSchema();
        storages.add(storage);
        return storage;
    }

    @Test
    void valuesAreStoredAsBytesReplacedListedByDirectoryAndDeletedWithSecretOnesMarked() throws Exception {
        JdbcCertificateStorage storage = storage(Duration.ofSeconds(60), "m1");
        byte[] key = {0, 1, 2, (byte) 0xff};
        storage.store("certificates/www_1/key-ab.pem", key, true);
        storage.store("certificates/www_1/certificate.pem", "old".getBytes(), false);
        storage.store("certificates/www_1/certificate.pem", "new".getBytes(), false);
        storage.store("certificates/www_1/nested/deeper.pem", new byte[] {9}, false);
        storage.store("certificates/wwwX1/certificate.pem", new byte[] {8}, false);

        assertThat(storage.load("certificates/www_1/key-ab.pem")).hasValueSatisfying(v -> assertThat(v).containsExactly(key));
        assertThat(storage.load("certificates/www_1/certificate.pem")).hasValueSatisfying(v -> assertThat(v).isEqualTo("new".getBytes()));
        assertThat(storage.load("certificates/none/certificate.pem")).isEmpty();
        assertThat(storage.list("certificates/www_1"))
                .as("the keys directly under the prefix; '_' is no wildcard")
                .containsExactly("certificates/www_1/certificate.pem", "certificates/www_1/key-ab.pem");
        assertThat(secretColumn("certificates/www_1/key-ab.pem")).isTrue();
        assertThat(secretColumn("certificates/www_1/certificate.pem")).isFalse();

        storage.delete("certificates/www_1/key-ab.pem");
        storage.delete("certificates/www_1/key-ab.pem");
        assertThat(storage.load("certificates/www_1/key-ab.pem")).isEmpty();
        assertThat(storage.list("certificates/empty")).isEmpty();
    }

    @Test
    void keysOutsideTheLayoutAreRefused() throws Exception {
        JdbcCertificateStorage storage = storage(Duration.ofSeconds(60), "m1");

        assertThatThrownBy(() -> storage.load("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.store("/abs", new byte[0], false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.list("a%")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.tryLock("certificates/a b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLockIsHeldByOneOfSeveralStoragesAtATimeWithALargerFencingTokenAtEachTaking() throws Exception {
        List<JdbcCertificateStorage> three = List.of(storage(Duration.ofSeconds(60), "m1"),
                storage(Duration.ofSeconds(60), "m2"), storage(Duration.ofSeconds(60), "m3"));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Optional<StorageLock>> takings = new ArrayList<>();
        try {
            List<Callable<Optional<StorageLock>>> attempts = new ArrayList<>();
            for (JdbcCertificateStorage s : three) {
                attempts.add(() -> s.tryLock("certificates/www"));
            }
            for (Future<Optional<StorageLock>> f : pool.invokeAll(attempts, 60, TimeUnit.SECONDS)) {
                takings.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        List<StorageLock> held = takings.stream().flatMap(Optional::stream).toList();
        assertThat(held).as("one holder among three").hasSize(1);
        StorageLock first = held.get(0);
        assertThat(takeAtOnce(three, "certificates/www")).as("held: none of three takes it").isEmpty();
        assertThat(three.get(0).tryLock("certificates/api")).as("another name is free").isPresent();

        first.store("certificates/www/certificate.pem", new byte[] {1}, false);
        first.close();
        StorageLock second = three.get(2).tryLock("certificates/www").orElseThrow();

        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
        assertThat(holderColumn("certificates/www")).startsWith("m3/");
        assertThatThrownBy(() -> first.store("certificates/www/certificate.pem", new byte[] {2}, false))
                .isInstanceOf(LockLostException.class);
        second.store("certificates/www/certificate.pem", new byte[] {3}, false);
        assertThat(three.get(1).load("certificates/www/certificate.pem")).hasValueSatisfying(v -> assertThat(v).containsExactly(3));
    }

    @Test
    void aLapsedLeaseIsTakenOverAndTheOldHoldersWritesAreRefusedWithoutChangingAnything() throws Exception {
        JdbcCertificateStorage paused = storage(Duration.ofSeconds(60), "paused");
        JdbcCertificateStorage taker = storage(Duration.ofSeconds(60), "taker");
        StorageLock old = paused.tryLock("certificates/www").orElseThrow();
        old.store("certificates/www/order.properties", "order=1".getBytes(), false);
        assertThat(taker.tryLock("certificates/www")).as("held and its lease running").isEmpty();

        // the holder stalls past its lease (a GC pause, a partition): its lease end is in the past
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE keyward_storage_lock SET lease_until = CURRENT_TIMESTAMP - INTERVAL '1' SECOND");
        }
        StorageLock taken = taker.tryLock("certificates/www").orElseThrow();
        taken.store("certificates/www/certificate.pem", "new holder".getBytes(), false);

        assertThat(taken.fencingToken()).isEqualTo(old.fencingToken() + 1);
        assertThatThrownBy(() -> old.store("certificates/www/certificate.pem", "stale".getBytes(), false))
                .isInstanceOf(LockLostException.class)
                .hasMessage("the lock of certificates/www (fencing token " + old.fencingToken()
                        + ") is no longer held: another holder took it over with fencing token " + taken.fencingToken());
        assertThatThrownBy(() -> old.delete("certificates/www/order.properties")).isInstanceOf(LockLostException.class);
        assertThat(paused.load("certificates/www/certificate.pem")).hasValueSatisfying(v -> assertThat(new String(v)).isEqualTo("new holder"));
        assertThat(paused.load("certificates/www/order.properties")).isPresent();
        old.close();
        assertThat(holderColumn("certificates/www")).as("the old holder's release frees nothing").startsWith("taker/");
    }

    @Test
    void ofThreeStoragesTakingALapsedLeaseAtOnceOneWins() throws Exception {
        List<JdbcCertificateStorage> three = List.of(storage(Duration.ofSeconds(60), "m1"),
                storage(Duration.ofSeconds(60), "m2"), storage(Duration.ofSeconds(60), "m3"));
        JdbcCertificateStorage dead = storage(Duration.ofSeconds(60), "dead");
        long deadToken = dead.tryLock("certificates/www").orElseThrow().fencingToken();
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE keyward_storage_lock SET lease_until = CURRENT_TIMESTAMP - INTERVAL '1' SECOND");
        }

        List<StorageLock> winners = takeAtOnce(three, "certificates/www");

        assertThat(winners).hasSize(1);
        assertThat(winners.get(0).fencingToken()).isEqualTo(deadToken + 1);
    }

    /** Each storage tries the lock on its own thread, all at once; the locks taken. */
    private static List<StorageLock> takeAtOnce(List<JdbcCertificateStorage> storages, String name) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(storages.size());
        try {
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(storages.size());
            List<Callable<Optional<StorageLock>>> attempts = new ArrayList<>();
            for (JdbcCertificateStorage s : storages) {
                attempts.add(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return s.tryLock(name);
                });
            }
            List<StorageLock> taken = new ArrayList<>();
            for (Future<Optional<StorageLock>> f : pool.invokeAll(attempts, 60, TimeUnit.SECONDS)) {
                f.get().ifPresent(taken::add);
            }
            return taken;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theHolderRenewsItsLeaseWhileItWorksAndAReleasedLockIsFreeAtOnce() throws Exception {
        JdbcCertificateStorage holder = storage(Duration.ofSeconds(1), "holder");
        JdbcCertificateStorage other = storage(Duration.ofSeconds(1), "other");
        StorageLock lock = holder.tryLock("certificates/www").orElseThrow();

        for (int i = 0; i < 5; i++) {
            TimeUnit.MILLISECONDS.sleep(600);
            assertThat(other.tryLock("certificates/www")).as("still held after %s ms, five leases' worth", (i + 1) * 600).isEmpty();
        }
        lock.store("certificates/www/certificate.pem", new byte[] {1}, false);
        lock.close();

        assertThat(other.tryLock("certificates/www")).isPresent();
    }

    @Test
    void aSchemaOfAnotherVersionIsRefusedWithAClearError() throws Exception {
        JdbcCertificateStorage storage = storage(Duration.ofSeconds(60), "m1");
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE keyward_storage_schema SET version = 2");
        }

        assertThatThrownBy(storage::checkSchema).isInstanceOf(JdbcStorageException.class)
                .hasMessage("the certificate storage's schema is version 2 but this Keyward needs version 1"
                        + " (table keyward_storage_schema); migrate the tables or use the matching Keyward");
        assertThatThrownBy(storage::createSchema).isInstanceOf(JdbcStorageException.class).hasMessageContaining("version 2");
    }

    @Test
    void aDatabaseWithoutTheSchemaIsRefusedWithAClearError() throws Exception {
        try (JdbcCertificateStorage empty = JdbcCertificateStorage.builder(newJdbcUrl()).build()) {
            assertThatThrownBy(empty::checkSchema).isInstanceOf(JdbcStorageException.class)
                    .hasMessageContaining("has no schema in this database (no table keyward_storage_schema)");
        }
    }

    @Test
    void anUnreachableDatabaseIsATypedErrorWithoutThePassword() {
        assertThatThrownBy(() -> JdbcCertificateStorage.builder("jdbc:postgresql://127.0.0.1:1/none?password=hunter2").build())
                .isInstanceOf(JdbcStorageException.class)
                .hasMessageStartingWith("cannot open the certificate storage at jdbc:postgresql://127.0.0.1:1/none?password=***")
                .hasMessageNotContaining("hunter2");
    }

    private boolean secretColumn(String key) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
             PreparedStatement s = c.prepareStatement("SELECT secret FROM keyward_storage WHERE storage_key = ?")) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBoolean(1);
            }
        }
    }

    private String holderColumn(String name) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
             PreparedStatement s = c.prepareStatement("SELECT holder FROM keyward_storage_lock WHERE lock_name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }
}
