package dev.keyward.acme.jdbc;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** The certificate storage on H2 in file mode: the embedded default. */
class H2CertificateStorageTest extends CertificateStorageContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @TempDir
    static Path dir;

    @Override
    String newJdbcUrl() {
        return "jdbc:h2:file:" + dir.resolve("storage" + DATABASES.incrementAndGet()).toAbsolutePath();
    }
}
