package dev.keyward.acme.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Three managers sharing a database on a private PostgreSQL server. */
class PostgresSharedManagersTest extends SharedManagersContract {
    static PostgresServer postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    String newJdbcUrl() throws Exception {
        return postgres.newDatabase();
    }
}
