package dev.keyward.acme.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The fleet under chaos on a private PostgreSQL server (claims with FOR UPDATE SKIP LOCKED). */
class PostgresQueueChaosTest extends QueueChaosContract {
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
    String fleetJdbcUrl() throws Exception {
        return postgres.newDatabase();
    }
}
