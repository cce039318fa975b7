package dev.keyward.acme.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A queue of callers' CSRs in a database table: {@link #submit} puts one in, {@link QueueRunner}
 * workers turn them into certificates (RFC 8555 section 7.4), {@link #get} and {@link #counts}
 * read the outcome. H2 ({@code jdbc:h2:file:...}, embedded, nothing to install) or PostgreSQL
 * ({@code jdbc:postgresql://...}, for fleets); the schema is in the acme-jdbc README and made by
 * {@link #createSchema()}.
 *
 * <p>Workers claim rows in short transactions (PostgreSQL: {@code SELECT ... FOR UPDATE SKIP LOCKED};
 * elsewhere a conditional {@code UPDATE} whose row count tells who won) and take a lease; the
 * network work runs outside any transaction. Thread-safe.
 */
public final class CsrQueue implements AutoCloseable {
    /** The longest a pooled connection is waited for, and so how fast a lost database is noticed. */
    static final long CONNECTION_TIMEOUT_MILLIS = JdbcPool.CONNECTION_TIMEOUT_MILLIS;

    private final DataSource dataSource;
    private final HikariDataSource owned;
    private final CsrPolicy policy;
    private final boolean postgres;

    private CsrQueue(DataSource dataSource, HikariDataSource owned, CsrPolicy policy, boolean postgres) {
        this.dataSource = dataSource;
        this.owned = owned;
        this.policy = policy;
        this.postgres = postgres;
    }

    /**
     * Opens a queue with its own HikariCP pool (user and password in the URL, if any).
     *
     * @param jdbcUrl for example {@code jdbc:h2:file:/var/lib/keyward/queue} or
     *     {@code jdbc:postgresql://db:5432/keyward?user=keyward}
     * @return the queue; {@link #close()} closes the pool
     * @throws CsrQueueException if the database cannot be reached
     */
    public static CsrQueue open(String jdbcUrl) throws CsrQueueException {
        return open(jdbcUrl, null, null);
    }

    /**
     * Opens a queue with its own HikariCP pool that checks CSRs against the policy.
     *
     * @param jdbcUrl the JDBC URL (user and password in it, if any)
     * @param policy the names to accept
     * @return the queue; {@link #close()} closes the pool
     * @throws CsrQueueException if the database cannot be reached
     */
    public static CsrQueue open(String jdbcUrl, CsrPolicy policy) throws CsrQueueException {
        Objects.requireNonNull(policy, "policy");
        CsrQueue queue = open(jdbcUrl, null, null);
        return new CsrQueue(queue.dataSource, queue.owned, policy, queue.postgres);
    }

    /**
     * Opens a queue with its own HikariCP pool (at most 10 connections; a connection is waited
     * for 3 seconds at most).
     *
     * @param jdbcUrl the JDBC URL
     * @param user the user, or {@code null}
     * @param password the password, or {@code null}
     * @return the queue; {@link #close()} closes the pool
     * @throws CsrQueueException if the database cannot be reached
     */
    public static CsrQueue open(String jdbcUrl, String user, String password) throws CsrQueueException {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        HikariDataSource pool;
        try {
            pool = JdbcPool.open(jdbcUrl, user, password, 10, "keyward-csr-queue");
        } catch (RuntimeException e) {
            throw new CsrQueueException("cannot open the CSR queue at " + JdbcPool.redacted(jdbcUrl) + ": " + rootMessage(e), e);
        }
        try {
            return new CsrQueue(pool, pool, CsrPolicy.ANY_NAME, isPostgres(pool));
        } catch (CsrQueueException | RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * A queue on the caller's data source (a pool, ideally), which {@link #close()} leaves open.
     *
     * @param dataSource the data source
     * @return the queue
     * @throws CsrQueueException if the database cannot be reached
     */
    public static CsrQueue using(DataSource dataSource) throws CsrQueueException {
        Objects.requireNonNull(dataSource, "dataSource");
        return new CsrQueue(dataSource, null, CsrPolicy.ANY_NAME, isPostgres(dataSource));
    }

    /**
     * The same queue, checking submitted and claimed CSRs against this policy (default
     * {@link CsrPolicy#ANY_NAME}). Closing the returned queue does not close the pool.
     *
     * @param newPolicy the names to accept
     * @return a queue on the same database
     */
    public CsrQueue withPolicy(CsrPolicy newPolicy) {
        return new CsrQueue(dataSource, null, Objects.requireNonNull(newPolicy, "policy"), postgres);
    }

    /** @return the policy CSRs are checked against */
    public CsrPolicy policy() {
        return policy;
    }

    /**
     * Creates the tables (the SQL of the README) unless they exist, then checks their version.
     *
     * @return this queue
     * @throws CsrQueueException if the database fails, or holds a schema of another version
     */
    public CsrQueue createSchema() throws CsrQueueException {
        try (Connection c = dataSource.getConnection()) {
            Schema.create(c);
            return this;
        } catch (SQLException e) {
            throw failure("creating the schema", e);
        }
    }

    /**
     * Checks that the tables exist in the version this Keyward needs.
     *
     * @throws CsrQueueException if they do not, saying which version was found
     */
    public void checkSchema() throws CsrQueueException {
        try (Connection c = dataSource.getConnection()) {
            Schema.check(c);
        } catch (SQLException e) {
            throw failure("checking the schema", e);
        }
    }

    /**
     * Puts a CSR in the queue. It is checked first (signature, names, key type): a bad one is
     * stored as {@code failed} with the reason and never sent to the CA.
     *
     * @param submission the request
     * @return the new row's id
     * @throws CsrQueueException if the database fails
     */
    public long submit(CsrSubmission submission) throws CsrQueueException {
        Objects.requireNonNull(submission, "submission");
        byte[] csr = submission.csr();
        String identifiers = "";
        String rejection = null;
        try {
            identifiers = String.join(",", CsrCheck.check(csr, policy).identifierStrings());
        } catch (CsrCheck.Rejected e) {
            rejection = e.getMessage();
        }
        OffsetDateTime now = time(Instant.now());
        String sql = "INSERT INTO " + Schema.TABLE + " (csr, identifiers, directory_url, account, profile, solvers, state,"
                + " attempts, next_attempt_at, failure_reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(sql, new String[] {"id"})) {
            s.setBytes(1, csr);
            s.setString(2, identifiers);
            s.setString(3, submission.directory().toString());
            s.setString(4, submission.account());
            s.setString(5, submission.profile().orElse(null));
            s.setString(6, String.join(",", submission.solvers()));
            s.setString(7, (rejection == null ? CsrState.PENDING : CsrState.FAILED).sqlName());
            s.setObject(8, now);
            s.setString(9, rejection);
            s.setObject(10, now);
            s.setObject(11, now);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw failure("submitting a CSR", e);
        }
    }

    /**
     * The number of rows in each state, every state present (zero when none).
     *
     * @return the counts, in the order of {@link CsrState}
     * @throws CsrQueueException if the database fails
     */
    public Map<CsrState, Long> counts() throws CsrQueueException {
        Map<CsrState, Long> counts = new EnumMap<>(CsrState.class);
        for (CsrState state : CsrState.values()) {
            counts.put(state, 0L);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT state, COUNT(*) FROM " + Schema.TABLE + " GROUP BY state");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                counts.put(CsrState.ofSql(rs.getString(1)), rs.getLong(2));
            }
            return counts;
        } catch (SQLException e) {
            throw failure("counting the rows", e);
        }
    }

    /**
     * Reads one row.
     *
     * @param id the row's id
     * @return the row, or empty if there is none
     * @throws CsrQueueException if the database fails
     */
    public Optional<QueuedCsr> get(long id) throws CsrQueueException {
        String sql = "SELECT id, state, identifiers, directory_url, account, profile, attempts, next_attempt_at, order_url,"
                + " chain_pem, failure_reason, problem_json FROM " + Schema.TABLE + " WHERE id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String ids = rs.getString(3);
                String order = rs.getString(9);
                return Optional.of(new QueuedCsr(rs.getLong(1), CsrState.ofSql(rs.getString(2)),
                        ids.isEmpty() ? List.of() : Arrays.asList(ids.split(",")), URI.create(rs.getString(4)),
                        rs.getString(5), rs.getString(6), rs.getInt(7), instant(rs, 8),
                        order == null ? null : URI.create(order), rs.getString(10), rs.getString(11), rs.getString(12)));
            }
        } catch (SQLException e) {
            throw failure("reading row " + id, e);
        }
    }

    /** Closes the pool this queue opened; a caller's data source stays open. */
    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }

    // ---- what workers do (QueueRunner) ----

    private static final String CLAIMABLE = "directory_url = ? AND account = ? AND ((state = 'pending' AND next_attempt_at <= ?)"
            + " OR (state = 'in_flight' AND lease_until < ?))";

    /** Claims the next due row of this directory and account (or one whose lease expired); null if none. */
    Claim claim(URI directory, String account, String worker, Instant now, Instant leaseUntil) throws CsrQueueException {
        try (Connection c = dataSource.getConnection()) {
            if (postgres) {
                return claimSkippingLocked(c, directory, account, worker, now, leaseUntil);
            }
            String select = "SELECT id, claim_token FROM " + Schema.TABLE + " WHERE " + CLAIMABLE
                    + " ORDER BY next_attempt_at, id LIMIT 8";
            List<Object[]> candidates = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(select)) {
                bindClaimable(s, 1, directory, account, now);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(new Object[] {rs.getLong(1), rs.getString(2)});
                    }
                }
            }
            for (Object[] candidate : candidates) {
                Claim claim = take(c, (Long) candidate[0], (String) candidate[1], directory, account, worker, now, leaseUntil);
                if (claim != null) {
                    return claim;
                }
            }
            return null;
        } catch (SQLException e) {
            throw failure("claiming a row", e);
        }
    }

    private Claim claimSkippingLocked(Connection c, URI directory, String account, String worker, Instant now,
                                      Instant leaseUntil) throws SQLException {
        c.setAutoCommit(false);
        try {
            String select = "SELECT id, claim_token FROM " + Schema.TABLE + " WHERE " + CLAIMABLE
                    + " ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED";
            Claim claim = null;
            try (PreparedStatement s = c.prepareStatement(select)) {
                bindClaimable(s, 1, directory, account, now);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        long id = rs.getLong(1);
                        String token = rs.getString(2);
                        rs.close();
                        claim = take(c, id, token, directory, account, worker, now, leaseUntil);
                    }
                }
            }
            c.commit();
            return claim;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** The conditional update: wins only if the row is still claimable with the token seen. */
    private Claim take(Connection c, long id, String seenToken, URI directory, String account, String worker,
                       Instant now, Instant leaseUntil) throws SQLException {
        String token = UUID.randomUUID().toString();
        String update = "UPDATE " + Schema.TABLE + " SET state = 'in_flight', claim_token = ?, worker = ?, lease_until = ?,"
                + " attempts = attempts + 1, updated_at = ? WHERE id = ? AND COALESCE(claim_token, '') = ? AND " + CLAIMABLE;
        try (PreparedStatement s = c.prepareStatement(update)) {
            s.setString(1, token);
            s.setString(2, worker);
            s.setObject(3, time(leaseUntil));
            s.setObject(4, time(now));
            s.setLong(5, id);
            s.setString(6, seenToken == null ? "" : seenToken);
            bindClaimable(s, 7, directory, account, now);
            if (s.executeUpdate() != 1) {
                return null;
            }
        }
        String read = "SELECT csr, profile, solvers, order_url, finalized_at, attempts FROM " + Schema.TABLE
                + " WHERE id = ? AND claim_token = ?";
        try (PreparedStatement s = c.prepareStatement(read)) {
            s.setLong(1, id);
            s.setString(2, token);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String solvers = rs.getString(3);
                String order = rs.getString(4);
                return new Claim(id, token, worker, rs.getBytes(1), rs.getString(2),
                        solvers.isEmpty() ? List.of() : Arrays.asList(solvers.split(",")),
                        order == null ? null : URI.create(order), rs.getObject(5) != null, rs.getInt(6));
            }
        }
    }

    private static void bindClaimable(PreparedStatement s, int first, URI directory, String account, Instant now)
            throws SQLException {
        s.setString(first, directory.toString());
        s.setString(first + 1, account);
        s.setObject(first + 2, time(now));
        s.setObject(first + 3, time(now));
    }

    /** Stores the order URL, before finalize; false if the lease is no longer this worker's. */
    boolean storeOrder(Claim claim, URI orderUrl, Instant now) throws CsrQueueException {
        return update(claim, "order_url = ?, updated_at = ?", "storing the order URL", orderUrl.toString(), time(now));
    }

    /** Forgets an invalid order, so the next attempt creates a new one. */
    boolean clearOrder(Claim claim, Instant now) throws CsrQueueException {
        return update(claim, "order_url = NULL, finalized_at = NULL, updated_at = ?", "clearing the order URL", time(now));
    }

    /** Notes that the CSR is about to be sent. */
    boolean markFinalizing(Claim claim, Instant now) throws CsrQueueException {
        return update(claim, "finalized_at = ?, updated_at = ?", "noting finalization", time(now), time(now));
    }

    /** Extends the lease. */
    boolean renew(Claim claim, Instant leaseUntil) throws CsrQueueException {
        return update(claim, "lease_until = ?", "renewing the lease", time(leaseUntil));
    }

    /** Stores the chain: the row is issued. */
    boolean complete(Claim claim, String chainPem, URI orderUrl, Instant now) throws CsrQueueException {
        return update(claim, "state = 'issued', chain_pem = ?, order_url = ?, failure_reason = NULL, problem_json = NULL,"
                + " claim_token = NULL, lease_until = NULL, updated_at = ?", "storing the certificate",
                chainPem, orderUrl.toString(), time(now));
    }

    /** Gives the row back for a later attempt; a rate limit does not count as an attempt. */
    boolean retry(Claim claim, Instant next, String reason, String problemJson, boolean countAttempt, Instant now)
            throws CsrQueueException {
        return update(claim, "state = 'pending', next_attempt_at = ?, failure_reason = ?, problem_json = ?,"
                + " attempts = attempts - ?, claim_token = NULL, lease_until = NULL, updated_at = ?", "scheduling a retry",
                time(next), reason, problemJson, countAttempt ? 0 : 1, time(now));
    }

    /** Gives up on the row. */
    boolean fail(Claim claim, String reason, String problemJson, Instant now) throws CsrQueueException {
        return update(claim, "state = 'failed', failure_reason = ?, problem_json = ?, claim_token = NULL, lease_until = NULL,"
                + " updated_at = ?", "recording a failure", reason, problemJson, time(now));
    }

    /** How many rows of this directory and account are pending or in flight. */
    long active(URI directory, String account) throws CsrQueueException {
        String sql = "SELECT COUNT(*) FROM " + Schema.TABLE
                + " WHERE directory_url = ? AND account = ? AND state IN ('pending', 'in_flight')";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, directory.toString());
            s.setString(2, account);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw failure("counting active rows", e);
        }
    }

    private boolean update(Claim claim, String set, String what, Object... values) throws CsrQueueException {
        String sql = "UPDATE " + Schema.TABLE + " SET " + set + " WHERE id = ? AND claim_token = ? AND state = 'in_flight'";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            for (Object value : values) {
                s.setObject(i++, value);
            }
            s.setLong(i++, claim.id());
            s.setString(i, claim.token());
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure(what + " of row " + claim.id(), e);
        }
    }

    private static boolean isPostgres(DataSource dataSource) throws CsrQueueException {
        try {
            return JdbcPool.isPostgres(dataSource);
        } catch (SQLException e) {
            throw failure("connecting", e);
        }
    }

    static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static CsrQueueException failure(String what, SQLException e) {
        return new CsrQueueException("CSR queue database failed " + what + ": " + rootMessage(e), e);
    }

    private static String rootMessage(Throwable e) {
        return JdbcPool.rootMessage(e);
    }

    @Override
    public String toString() {
        return "CsrQueue{" + (postgres ? "PostgreSQL" : "JDBC") + ", " + policy + "}";
    }
}
