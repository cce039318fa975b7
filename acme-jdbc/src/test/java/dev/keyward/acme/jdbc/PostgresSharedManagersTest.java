package dev.keyward.acme.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Three managers sharing a database on a private PostgreSQL server. */
class PostgresSharedManagersTest extends SharedManagersContract {
    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @Override
    String newJdbcUrl() throws Exception {
        return postgres.newDatabase();
    }
}
