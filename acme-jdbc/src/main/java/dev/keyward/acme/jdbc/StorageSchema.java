package dev.keyward.acme.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

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

    private static final VersionedTables TABLES = new VersionedTables("the certificate storage", VERSION_TABLE, VERSION, CREATE,
            "JdbcCertificateStorage.createSchema() or the SQL in the README", "tables");

    /** Creates the tables unless they exist; checks the version either way. */
    static void create(Connection c) throws SQLException, JdbcStorageException {
        TABLES.create(c, message -> new JdbcStorageException(message, null));
    }

    /** Refuses a missing schema or one of another version. */
    static void check(Connection c) throws SQLException, JdbcStorageException {
        TABLES.check(c, message -> new JdbcStorageException(message, null));
    }
}
