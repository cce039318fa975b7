package dev.keyward.acme.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.keyward.acme.manager.CertificateStorage;
import dev.keyward.acme.manager.LockLostException;
import dev.keyward.acme.manager.StorageLock;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The certificate manager's {@link CertificateStorage} on a database shared by several managers:
 * H2 ({@code jdbc:h2:file:...}) or PostgreSQL, the same as the CSR queue. Values are bytes in
 * one table, secret ones (private keys) marked; the lock of each certificate set is a lease row
 * with its holder, a lease end on the database's clock and a fencing token that grows at every
 * taking. The holder's lease is renewed in the background every third of the
 * {@linkplain Builder#leaseTime lease time}; when the holder dies the lease lapses and another
 * manager takes the set over; a write through a lock whose name was taken over is refused with
 * {@link LockLostException}. So of N managers sharing a database, one renews each set (see
 * {@code CertificateManager}), and another takes over within a lease time if it dies.
 *
 * <pre>{@code
 * JdbcCertificateStorage storage = JdbcCertificateStorage.builder("jdbc:postgresql://db/keyward?user=keyward")
 *         .build().createSchema();
 * CertificateManager manager = CertificateManager.builder().storage(storage) ... .build();
 * }</pre>
 *
 * <p>The tables ({@link #createSchema()}; SQL in the README's fleet section) carry a schema
 * version; another version is refused with a clear error. Defaults: a lease of 60 seconds, a
 * HikariCP pool of at most 4 connections, a holder name of the host name and process id.
 * Thread-safe.
 */
public final class JdbcCertificateStorage implements CertificateStorage, AutoCloseable {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    private static final int MAX_KEY = 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataSource dataSource;
    private final HikariDataSource owned;
    private final boolean postgres;
    private final Duration leaseTime;
    private final String holderName;
    private final LeaseTable leases;
    private final ScheduledExecutorService renewals;
    private final Set<JdbcLease> held = ConcurrentHashMap.newKeySet();

    private JdbcCertificateStorage(DataSource dataSource, HikariDataSource owned, boolean postgres, Builder b) {
        this.dataSource = dataSource;
        this.owned = owned;
        this.postgres = postgres;
        this.leaseTime = b.leaseTime;
        this.holderName = b.holderName;
        this.leases = new LeaseTable(postgres);
        this.renewals = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "keyward-storage-leases");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * A builder of a storage with its own HikariCP pool.
     *
     * @param jdbcUrl for example {@code jdbc:h2:file:/var/lib/keyward/certificates} or
     *     {@code jdbc:postgresql://db:5432/keyward?user=keyward}
     * @return the builder
     */
    public static Builder builder(String jdbcUrl) {
        return new Builder(Objects.requireNonNull(jdbcUrl, "jdbcUrl"), null);
    }

    /**
     * A builder of a storage on the caller's data source (a pool, ideally), which
     * {@link #close()} leaves open.
     *
     * @param dataSource the data source
     * @return the builder
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(null, Objects.requireNonNull(dataSource, "dataSource"));
    }

    /**
     * Creates the tables (the SQL of the README) unless they exist, then checks their version.
     *
     * @return this storage
     * @throws JdbcStorageException if the database fails, or holds a schema of another version
     */
    public JdbcCertificateStorage createSchema() throws JdbcStorageException {
        try (Connection c = dataSource.getConnection()) {
            StorageSchema.create(c);
            return this;
        } catch (SQLException e) {
            throw failure("creating the schema", e);
        }
    }

    /**
     * Checks that the tables exist in the version this Keyward needs.
     *
     * @throws JdbcStorageException if they do not, saying which version was found
     */
    public void checkSchema() throws JdbcStorageException {
        try (Connection c = dataSource.getConnection()) {
            StorageSchema.check(c);
        } catch (SQLException e) {
            throw failure("checking the schema", e);
        }
    }

    /** @return how long a lock is held without renewal before another manager may take it */
    public Duration leaseTime() {
        return leaseTime;
    }

    @Override
    public Optional<byte[]> load(String key) throws IOException {
        String sql = "SELECT content FROM " + StorageSchema.VALUES + " WHERE storage_key = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, checked(key));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("loading " + key, e);
        }
    }

    @Override
    public void store(String key, byte[] value, boolean secret) throws IOException {
        checked(key);
        Objects.requireNonNull(value, "value");
        try (Connection c = dataSource.getConnection()) {
            upsert(c, key, value, secret, null);
        } catch (SQLException e) {
            throw failure("storing " + key, e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        checked(key);
        try (Connection c = dataSource.getConnection()) {
            remove(c, key);
        } catch (SQLException e) {
            throw failure("deleting " + key, e);
        }
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        checked(prefix);
        String sql = "SELECT storage_key FROM " + StorageSchema.VALUES + " WHERE storage_key LIKE ? ESCAPE '!'";
        List<String> keys = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, prefix.replace("!", "!!").replace("_", "!_").replace("%", "!%") + "/%");
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1);
                    if (key.indexOf('/', prefix.length() + 1) < 0) {
                        keys.add(key); // directly under the prefix, as a directory listing
                    }
                }
            }
        } catch (SQLException e) {
            throw failure("listing " + prefix, e);
        }
        Collections.sort(keys);
        return keys;
    }

    @Override
    public Optional<StorageLock> tryLock(String name) throws IOException {
        checked(name);
        String holder = holderName + "/" + HexFormat.of().toHexDigits(RANDOM.nextInt());
        long token;
        try (Connection c = dataSource.getConnection()) {
            token = leases.acquire(c, name, holder, leaseTime.toMillis());
        } catch (SQLException e) {
            throw failure("taking the lock of " + name, e);
        }
        if (token < 0) {
            return Optional.empty();
        }
        JdbcLease lease = new JdbcLease(this, name, holder, token);
        long period = Math.max(1, leaseTime.toMillis() / 3);
        held.add(lease);
        lease.renewEvery(renewals.scheduleAtFixedRate(lease::renew, period, period, TimeUnit.MILLISECONDS));
        return Optional.of(lease);
    }

    boolean renew(JdbcLease lease) throws IOException {
        try (Connection c = dataSource.getConnection()) {
            return leases.renew(c, lease.name(), lease.holder(), lease.fencingToken(), leaseTime.toMillis());
        } catch (SQLException e) {
            throw failure("renewing the lease of " + lease.name(), e);
        }
    }

    void release(JdbcLease lease) throws IOException {
        held.remove(lease);
        try (Connection c = dataSource.getConnection()) {
            leases.release(c, lease.name(), lease.holder(), lease.fencingToken());
        } catch (SQLException e) {
            throw failure("releasing the lock of " + lease.name(), e);
        }
    }

    void fencedStore(JdbcLease lease, String key, byte[] value, boolean secret) throws IOException {
        checked(key);
        Objects.requireNonNull(value, "value");
        fenced(lease, "storing " + key, c -> upsert(c, key, value, secret, lease.fencingToken()));
    }

    void fencedDelete(JdbcLease lease, String key) throws IOException {
        checked(key);
        fenced(lease, "deleting " + key, c -> remove(c, key));
    }

    private interface Write {
        void run(Connection c) throws SQLException;
    }

    /** One transaction: the lock's row locked and its token checked, then the write, then commit. */
    private void fenced(JdbcLease lease, String what, Write write) throws IOException {
        String lost;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                lost = leases.lockRowUnlessLost(c, lease.name(), lease.holder(), lease.fencingToken());
                if (lost == null) {
                    write.run(c);
                    c.commit();
                } else {
                    c.rollback();
                }
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
        if (lost != null) {
            throw new LockLostException(lease.name(), lease.fencingToken(), lost);
        }
    }

    private void upsert(Connection c, String key, byte[] value, boolean secret, Long token) throws SQLException {
        String columns = StorageSchema.VALUES + " (storage_key, content, secret, fencing_token, updated_at)";
        String sql = postgres
                ? "INSERT INTO " + columns + " VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP) ON CONFLICT (storage_key) DO UPDATE"
                        + " SET content = EXCLUDED.content, secret = EXCLUDED.secret, fencing_token = EXCLUDED.fencing_token,"
                        + " updated_at = EXCLUDED.updated_at"
                : "MERGE INTO " + columns + " KEY (storage_key) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, key);
            s.setBytes(2, value);
            s.setBoolean(3, secret);
            if (token == null) {
                s.setNull(4, Types.BIGINT);
            } else {
                s.setLong(4, token);
            }
            s.executeUpdate();
        }
    }

    private static void remove(Connection c, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + StorageSchema.VALUES + " WHERE storage_key = ?")) {
            s.setString(1, key);
            s.executeUpdate();
        }
    }

    private static String checked(String key) {
        Objects.requireNonNull(key, "key");
        if (key.length() > MAX_KEY || !KEY.matcher(key).matches() || key.contains("..")) {
            throw new IllegalArgumentException("not a storage key: " + key);
        }
        return key;
    }

    /**
     * Releases the locks still held (best effort: a lock that cannot be released lapses after
     * its lease), stops renewing leases and closes the pool this storage opened; a caller's data
     * source stays open.
     */
    @Override
    public void close() {
        for (JdbcLease lease : List.copyOf(held)) {
            try {
                lease.close();
            } catch (IOException e) {
                lease.cancel();
            }
        }
        renewals.shutdownNow();
        if (owned != null) {
            owned.close();
        }
    }

    private static JdbcStorageException failure(String what, SQLException e) {
        return new JdbcStorageException("certificate storage database failed " + what + ": " + JdbcPool.rootMessage(e), e);
    }

    @Override
    public String toString() {
        return "JdbcCertificateStorage{" + (postgres ? "PostgreSQL" : "JDBC") + ", lease " + leaseTime + ", holder "
                + holderName + "}";
    }

    /** Builds a {@link JdbcCertificateStorage}; each setter checks its argument at once. */
    public static final class Builder {
        private final String jdbcUrl;
        private final DataSource dataSource;
        private String user;
        private String password;
        private Duration leaseTime = Duration.ofSeconds(60);
        private String holderName = defaultHolderName();

        private Builder(String jdbcUrl, DataSource dataSource) {
            this.jdbcUrl = jdbcUrl;
            this.dataSource = dataSource;
        }

        /**
         * The database user of the pool (default: none, or the one in the URL).
         *
         * @param value the user
         * @return this builder
         */
        public Builder user(String value) {
            this.user = Objects.requireNonNull(value, "user");
            return this;
        }

        /**
         * The database password of the pool (default: none, or the one in the URL); never shown
         * in messages.
         *
         * @param value the password
         * @return this builder
         */
        public Builder password(String value) {
            this.password = Objects.requireNonNull(value, "password");
            return this;
        }

        /**
         * How long a lock stays held without renewal (default 60 seconds). The holder renews it
         * every third of this while it works; when the holder dies, another manager may take the
         * set over once this has passed since the last renewal.
         *
         * @param value at least 1 second
         * @return this builder
         * @throws IllegalArgumentException if shorter
         */
        public Builder leaseTime(Duration value) {
            Objects.requireNonNull(value, "leaseTime");
            if (value.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("the lease time must be at least 1 second, not " + value);
            }
            this.leaseTime = value;
            return this;
        }

        /**
         * The name this storage's locks are held under, shown in the {@code holder} column
         * (default: the host name and process id); each taking adds a random suffix.
         *
         * @param value 1 to 200 printable ASCII characters
         * @return this builder
         * @throws IllegalArgumentException otherwise
         */
        public Builder holderName(String value) {
            Objects.requireNonNull(value, "holderName");
            if (!value.matches("[\\x21-\\x7e]{1,200}")) {
                throw new IllegalArgumentException("a holder name is 1 to 200 printable ASCII characters without spaces");
            }
            this.holderName = value;
            return this;
        }

        /**
         * Opens the storage (its pool, when built from a URL). Creates no table: call
         * {@link JdbcCertificateStorage#createSchema()}.
         *
         * @return the storage; {@link JdbcCertificateStorage#close()} closes the pool it opened
         * @throws JdbcStorageException if the database cannot be reached
         */
        public JdbcCertificateStorage build() throws JdbcStorageException {
            if (dataSource != null) {
                try {
                    return new JdbcCertificateStorage(dataSource, null, JdbcPool.isPostgres(dataSource), this);
                } catch (SQLException e) {
                    throw failure("connecting", e);
                }
            }
            HikariDataSource pool;
            try {
                pool = JdbcPool.open(jdbcUrl, user, password, 4, "keyward-certificate-storage");
            } catch (RuntimeException e) {
                throw new JdbcStorageException("cannot open the certificate storage at " + JdbcPool.redacted(jdbcUrl) + ": "
                        + JdbcPool.rootMessage(e), e);
            }
            try {
                return new JdbcCertificateStorage(pool, pool, JdbcPool.isPostgres(pool), this);
            } catch (SQLException | RuntimeException e) {
                pool.close();
                if (e instanceof SQLException) {
                    throw failure("connecting", (SQLException) e);
                }
                throw (RuntimeException) e;
            }
        }

        private static String defaultHolderName() {
            String host = System.getenv("HOSTNAME");
            if (host == null || !host.matches("[\\x21-\\x7e]{1,100}")) {
                host = "host";
            }
            return host + ":" + ProcessHandle.current().pid();
        }
    }
}
