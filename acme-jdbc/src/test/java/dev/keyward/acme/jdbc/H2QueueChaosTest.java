package dev.keyward.acme.jdbc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet under chaos on H2, the way a fleet of processes on H2 should run it: one H2 TCP server
 * (here in the test JVM, never killed) owns the database file, and every worker JVM connects to
 * {@code jdbc:h2:tcp://127.0.0.1:PORT/fleet}.
 *
 * <p>Not {@code jdbc:h2:file:...;AUTO_SERVER=TRUE}: there the first process to open the file serves
 * it to the others, and when that process is SIGKILLed its lock file ({@code fleet.lock.db}) stays;
 * the survivors all race to take the file over, each rewriting the lock file, and H2's file lock
 * gives up on a lock file that keeps being modified ({@code Error opening database: "Lock file
 * recently modified" [8000-232]}), so opening the queue fails. A killed AUTO_SERVER owner is
 * therefore an outage, not a takeover.
 */
class H2QueueChaosTest extends QueueChaosContract {
    private static final String URL_PREFIX = "jdbc:h2:tcp://127.0.0.1:";

    @TempDir
    static Path dir;

    static Server h2;

    @BeforeAll
    static void startH2Server() throws Exception {
        h2 = Server.createTcpServer("-tcpPort", String.valueOf(freePort()), "-baseDir", dir.toAbsolutePath().toString(),
                "-ifNotExists").start();
    }

    @AfterAll
    static void stopH2Server() throws Exception {
        if (h2 != null) {
            try (Connection c = DriverManager.getConnection(URL_PREFIX + h2.getPort() + "/fleet");
                 Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            } finally {
                h2.stop();
            }
        }
    }

    @Override
    String fleetJdbcUrl() {
        return URL_PREFIX + h2.getPort() + "/fleet;DB_CLOSE_DELAY=-1";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
