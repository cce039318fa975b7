package dev.keyward.acme.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/** The HikariCP pools of the queue and of the certificate storage: one configuration, one place. */
final class JdbcPool {
    /** The longest a pooled connection is waited for, and so how fast a lost database is noticed. */
    static final long CONNECTION_TIMEOUT_MILLIS = 3000;

    private JdbcPool() {
    }

    /**
     * A pool of at most {@code size} connections; a connection is waited for 3 seconds at most.
     *
     * @throws RuntimeException as HikariCP throws it when the database cannot be reached
     */
    static HikariDataSource open(String jdbcUrl, String user, String password, int size, String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        config.setValidationTimeout(1000);
        config.setPoolName(name);
        return new HikariDataSource(config);
    }

    /** A JDBC URL fit for a message: any password in it replaced. */
    static String redacted(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)password=[^&;]*", "password=***");
    }

    static boolean isPostgres(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    }

    static boolean isPostgres(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return isPostgres(c);
        }
    }

    /** The message of an exception with that of its root cause. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }
}
