package dev.keyward.acme.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The queue on a private PostgreSQL server (claims with FOR UPDATE SKIP LOCKED). */
class PostgresQueueTest extends QueueContract {
    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @Override
    String newJdbcUrl() throws Exception {
        return postgres.newDatabase();
    }
}
