package dev.keyward.acme.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The certificate storage on a private PostgreSQL server. */
class PostgresCertificateStorageTest extends CertificateStorageContract {
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
