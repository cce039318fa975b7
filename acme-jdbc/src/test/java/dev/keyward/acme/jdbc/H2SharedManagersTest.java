package dev.keyward.acme.jdbc;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** Three managers sharing an H2 database in file mode. */
class H2SharedManagersTest extends SharedManagersContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @TempDir
    static Path dir;

    @Override
    String newJdbcUrl() {
        return "jdbc:h2:file:" + dir.resolve("managers" + DATABASES.incrementAndGet()).toAbsolutePath();
    }
}
