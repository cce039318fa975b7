package dev.keyward.acme.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * The certificate storage's tables: the same SQL for H2 and PostgreSQL (README "Fleets: the
 * manager's storage and lock on JDBC"), with a version table so that a schema of another version
 * is refused with a clear error.
 */
final class StorageSchema {
    static final int VERSION = 1;
    static final String VALUES = "keyward_storage";
    static final String LOCKS = "keyward_storage_lock";
    static final String VERSION_TABLE = "keyward_storage_schema";

    static final List<String> CREATE = List.of(
            "CREATE TABLE " + VERSION_TABLE + " (version INTEGER NOT NULL PRIMARY KEY)",
            "CREATE TABLE " + VALUES + " ("
                    + "storage_key VARCHAR(1024) NOT NULL PRIMARY KEY, "
                    + "content BYTEA NOT NULL, "
                    + "secret BOOLEAN NOT NULL, "
                    + "fencing_token BIGINT, "
                    + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
            "CREATE TABLE " + LOCKS + " ("
                    + "lock_name VARCHAR(1024) NOT NULL PRIMARY KEY, "
                    + "holder VARCHAR(255), "
                    + "fencing_token BIGINT NOT NULL, "
                    + "lease_until TIMESTAMP WITH TIME ZONE NOT NULL, "
                    + "acquired_at TIMESTAMP WITH TIME ZONE NOT NULL)",
            "INSERT INTO " + VERSION_TABLE + " (version) VALUES (" + VERSION + ")");

    private StorageSchema() {
    }

    /** Creates the tables unless they exist; checks the version either way. */
    static void create(Connection c) throws SQLException, JdbcStorageException {
        if (version(c) != null) {
            check(c);
            return;
        }
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (String sql : CREATE) {
                s.execute(sql);
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            if (version(c) == null) {
                throw e;
            }
        } finally {
            c.setAutoCommit(autoCommit);
        }
        check(c);
    }

    /** Refuses a missing schema or one of another version. */
    static void check(Connection c) throws SQLException, JdbcStorageException {
        Integer found = version(c);
        if (found == null) {
            throw new JdbcStorageException("the certificate storage has no schema in this database (no table "
                    + VERSION_TABLE + "): create it with JdbcCertificateStorage.createSchema() or the SQL in the README", null);
        }
        if (found != VERSION) {
            throw new JdbcStorageException("the certificate storage's schema is version " + found
                    + " but this Keyward needs version " + VERSION + " (table " + VERSION_TABLE
                    + "); migrate the tables or use the matching Keyward", null);
        }
    }

    /** The highest version in the version table; null when there is no such table. */
    private static Integer version(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM " + VERSION_TABLE)) {
                rs.next();
                int v = rs.getInt(1);
                return rs.wasNull() ? Integer.valueOf(-1) : Integer.valueOf(v);
            } catch (SQLException missing) {
                if (tableExists(c)) {
                    throw missing;
                }
                return null;
            }
        }
    }

    private static boolean tableExists(Connection c) throws SQLException {
        for (String name : List.of(VERSION_TABLE, VERSION_TABLE.toUpperCase(Locale.ROOT))) {
            try (ResultSet rs = c.getMetaData().getTables(null, null, name, null)) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }
}
