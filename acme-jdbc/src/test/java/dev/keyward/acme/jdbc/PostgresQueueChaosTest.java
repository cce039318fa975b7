package dev.keyward.acme.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The fleet under chaos on a private PostgreSQL server (claims with FOR UPDATE SKIP LOCKED). */
class PostgresQueueChaosTest extends QueueChaosContract {
    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @Override
    String fleetJdbcUrl() throws Exception {
        return postgres.newDatabase();
    }
}
