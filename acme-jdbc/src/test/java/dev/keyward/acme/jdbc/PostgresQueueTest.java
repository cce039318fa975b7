package dev.keyward.acme.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The queue on a private PostgreSQL server (claims with FOR UPDATE SKIP LOCKED). */
class PostgresQueueTest extends QueueContract {
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
