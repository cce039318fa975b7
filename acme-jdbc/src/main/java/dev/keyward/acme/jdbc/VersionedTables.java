package dev.keyward.acme.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * Tables created together with a version table, so that a schema of another version (or none) is
 * refused with a clear error instead of failing later on a missing column: the one place the
 * queue's {@link Schema} and the storage's {@link StorageSchema} create and check their tables.
 */
final class VersionedTables {
    /** Makes the exception a caller reports a schema problem with. */
    interface Failure<E extends Exception> {
        E of(String message);
    }

    private final String what;
    private final String versionTable;
    private final int version;
    private final List<String> create;
    private final String howToCreate;
    private final String tablesWord;

    /**
     * @param what the owner as messages name it, for example "the CSR queue"
     * @param versionTable the version table, created by the first statement
     * @param version the version these statements make
     * @param create the statements, the last one inserting the version
     * @param howToCreate what a missing schema's message advises
     * @param tablesWord "table" or "tables", for the migration advice
     */
    VersionedTables(String what, String versionTable, int version, List<String> create, String howToCreate,
                    String tablesWord) {
        this.what = what;
        this.versionTable = versionTable;
        this.version = version;
        this.create = List.copyOf(create);
        this.howToCreate = howToCreate;
        this.tablesWord = tablesWord;
    }

    /** Creates the tables unless they exist (another process may create them at the same time); checks the version either way. */
    <E extends Exception> void create(Connection c, Failure<E> failure) throws SQLException, E {
        if (version(c) != null) {
            check(c, failure);
            return;
        }
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (String sql : create) {
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
        check(c, failure);
    }

    /** Refuses a missing schema or one of another version. */
    <E extends Exception> void check(Connection c, Failure<E> failure) throws SQLException, E {
        Integer found = version(c);
        if (found == null) {
            throw failure.of(what + " has no schema in this database (no table " + versionTable + "): create it with "
                    + howToCreate);
        }
        if (found != version) {
            throw failure.of(what + "'s schema is version " + found + " but this Keyward needs version " + version
                    + " (table " + versionTable + "); migrate the " + tablesWord + " or use the matching Keyward");
        }
    }

    /** The highest version in the version table; null when there is no such table. */
    private Integer version(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        try (Statement s = c.createStatement()) {
            if (!autoCommit) {
                // PostgreSQL aborts a transaction on a failed statement: keep the caller's usable
                s.execute("SAVEPOINT keyward_version");
            }
            try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM " + versionTable)) {
                rs.next();
                int v = rs.getInt(1);
                return rs.wasNull() ? Integer.valueOf(-1) : Integer.valueOf(v);
            } catch (SQLException missing) {
                if (!autoCommit) {
                    s.execute("ROLLBACK TO SAVEPOINT keyward_version");
                }
                if (tableExists(c)) {
                    throw missing;
                }
                return null;
            }
        }
    }

    private boolean tableExists(Connection c) throws SQLException {
        for (String name : List.of(versionTable, versionTable.toUpperCase(Locale.ROOT))) {
            try (ResultSet rs = c.getMetaData().getTables(null, null, name, null)) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }
}
