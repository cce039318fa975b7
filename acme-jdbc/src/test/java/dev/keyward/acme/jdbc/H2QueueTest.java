package dev.keyward.acme.jdbc;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** The queue on H2 in file mode, in a temporary directory: the embedded default. */
class H2QueueTest extends QueueContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @TempDir
    static Path dir;

    @Override
    String newJdbcUrl() {
        return "jdbc:h2:file:" + dir.resolve("queue" + DATABASES.incrementAndGet()).toAbsolutePath();
    }
}
