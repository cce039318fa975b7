package dev.keyward.acme.jdbc;

import java.sql.SQLException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private PostgreSQL server ({@link PostgresServer}) for the tests of one class: started before
 * them, stopped after them; each test takes a new database of its own. Register it with
 * {@code @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();}.
 */
final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {
    private PostgresServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = PostgresServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** @return the running server, to stop and start it in a test of an outage */
    PostgresServer server() {
        if (server == null) {
            throw new IllegalStateException("the PostgreSQL server runs only while the test class does");
        }
        return server;
    }

    /** @return the JDBC URL of a new, empty database on the server */
    String newDatabase() throws SQLException {
        return server().newDatabase();
    }
}
