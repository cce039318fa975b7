package dev.keyward.acme.testkit;

import com.sun.net.httpserver.HttpServer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Stops the test kit's JDK HTTP servers: the port first, then their threads, bounded. */
final class HttpServers {
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);

    private HttpServers() {
    }

    /** Frees the port, then waits up to two seconds for running exchanges before interrupting them. */
    static void stop(HttpServer server, ExecutorService executor) {
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
