package dev.keyward.acme.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The SQL of the lease locks ({@code keyward_storage_lock}): one row per name, with its holder,
 * a lease end and a fencing token that grows by one at every taking. Times are the database's
 * ({@code CURRENT_TIMESTAMP}), so the clocks of the machines sharing it do not matter.
 */
final class LeaseTable {
    private static final String T = StorageSchema.LOCKS;
    private static final String UNIQUE_VIOLATION = "23505";

    private final String leaseEnd;

    /** @param postgres whether the database is PostgreSQL (else H2's date arithmetic) */
    LeaseTable(boolean postgres) {
        this.leaseEnd = postgres ? "CURRENT_TIMESTAMP + CAST(? AS DOUBLE PRECISION) * INTERVAL '1 millisecond'"
                : "DATEADD(MILLISECOND, CAST(? AS BIGINT), CURRENT_TIMESTAMP)";
    }

    /**
     * Takes a name whose lease is free or lapsed, or that has no row yet.
     *
     * @return the new fencing token, or -1 when another holder has the name
     */
    long acquire(Connection c, String name, String holder, long leaseMillis) throws SQLException {
        String take = "UPDATE " + T + " SET holder = ?, fencing_token = fencing_token + 1, lease_until = " + leaseEnd
                + ", acquired_at = CURRENT_TIMESTAMP WHERE lock_name = ? AND (holder IS NULL OR lease_until < CURRENT_TIMESTAMP)";
        try (PreparedStatement s = c.prepareStatement(take)) {
            s.setString(1, holder);
            s.setLong(2, leaseMillis);
            s.setString(3, name);
            if (s.executeUpdate() == 1) {
                return token(c, name, holder);
            }
        }
        String first = "INSERT INTO " + T + " (lock_name, holder, fencing_token, lease_until, acquired_at)"
                + " VALUES (?, ?, 1, " + leaseEnd + ", CURRENT_TIMESTAMP)";
        try (PreparedStatement s = c.prepareStatement(first)) {
            s.setString(1, name);
            s.setString(2, holder);
            s.setLong(3, leaseMillis);
            s.executeUpdate();
            return 1;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return -1; // the row exists and its lease runs: held by another
            }
            throw e;
        }
    }

    /** The token of the name if this holder has it, else -1. */
    private static long token(Connection c, String name, String holder) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT fencing_token FROM " + T + " WHERE lock_name = ? AND holder = ?")) {
            s.setString(1, name);
            s.setString(2, holder);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /** Extends the lease; false when the holding is no longer the name's (taken over or released). */
    boolean renew(Connection c, String name, String holder, long token, long leaseMillis) throws SQLException {
        String sql = "UPDATE " + T + " SET lease_until = " + leaseEnd + " WHERE lock_name = ? AND holder = ? AND fencing_token = ?";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, leaseMillis);
            s.setString(2, name);
            s.setString(3, holder);
            s.setLong(4, token);
            return s.executeUpdate() == 1;
        }
    }

    /** Frees the name if this holding still has it; the token stays, so the next taker's is larger. */
    void release(Connection c, String name, String holder, long token) throws SQLException {
        String sql = "UPDATE " + T + " SET holder = NULL, lease_until = CURRENT_TIMESTAMP"
                + " WHERE lock_name = ? AND holder = ? AND fencing_token = ?";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, name);
            s.setString(2, holder);
            s.setLong(3, token);
            s.executeUpdate();
        }
    }

    /**
     * Within the caller's transaction, locks the name's row until commit and says who holds it
     * now: null when this holding still does, else a description of the current holding.
     */
    String lockRowUnlessLost(Connection c, String name, String holder, long token) throws SQLException {
        String sql = "SELECT holder, fencing_token FROM " + T + " WHERE lock_name = ? FOR UPDATE";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return "the lock's row is gone";
                }
                String current = rs.getString(1);
                long currentToken = rs.getLong(2);
                if (currentToken == token && holder.equals(current)) {
                    return null;
                }
                return currentToken != token ? "another holder took it over with fencing token " + currentToken
                        : "it was released";
            }
        }
    }
}
