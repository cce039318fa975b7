package dev.keyward.acme.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The certificate storage on a private PostgreSQL server. */
class PostgresCertificateStorageTest extends CertificateStorageContract {
    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @Override
    String newJdbcUrl() throws Exception {
        return postgres.newDatabase();
    }
}
