package dev.keyward.acme.jdbc;

import dev.keyward.acme.testkit.PebbleServer;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Starts {@link QueueWorkerMain} JVMs on the test class path, one account key for all. */
final class WorkerJvms {
    private final String jdbcUrl;
    private final PebbleServer pebble;
    private final String accountKey;
    private final Path logs;
    private final int threads;
    private final int leaseSeconds;
    private int started;

    WorkerJvms(String jdbcUrl, PebbleServer pebble, KeyPair accountKey, Path logs, int threads, int leaseSeconds) {
        this.jdbcUrl = jdbcUrl;
        this.pebble = pebble;
        this.accountKey = Base64.getEncoder().encodeToString(accountKey.getPrivate().getEncoded()) + ":"
                + Base64.getEncoder().encodeToString(accountKey.getPublic().getEncoded());
        this.logs = logs;
        this.threads = threads;
        this.leaseSeconds = leaseSeconds;
    }

    Process start() throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                QueueWorkerMain.class.getName(), jdbcUrl, pebble.directoryUri().toString(),
                pebble.trustAnchorPemFile().toString(), accountKey, pebble.dns().managementUri().toString(),
                String.valueOf(threads), String.valueOf(leaseSeconds)));
        Path log = logs.resolve("worker-" + (++started) + ".log");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    int started() {
        return started;
    }
}
