package dev.keyward.acme.jdbc;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.Dns01Solver;
import dev.keyward.acme.Signers;
import dev.keyward.acme.testkit.PebbleServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Locale;

/**
 * Figures, not a test: CSRs per second with 1, 2 and 4 worker threads draining one queue against
 * the same Pebble, and Pebble's requests per CSR (its log lines {@code METHOD /path -> calling handler}).
 * Arguments: [h2|postgres] [CSRS-PER-ROUND] (default postgres 40). Run from the repository root:
 * <pre>
 * ./mvnw -B -o -q -pl acme-jdbc test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp acme-jdbc/target/test-classes:acme-jdbc/target/classes:$(cat acme-jdbc/target/cp.txt) \
 *     dev.keyward.acme.jdbc.QueueBenchmark postgres 40
 * </pre>
 */
public final class QueueBenchmark {
    private QueueBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String database = args.length > 0 ? args[0] : "postgres";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        Path work = Files.createTempDirectory("keyward-queue-bench");
        PostgresServer postgres = database.equals("postgres") ? PostgresServer.start() : null;
        try (PebbleServer pebble = PebbleServer.builder().authorizationReusePercent(0).build().start()) {
            URI directory = pebble.directoryUri();
            System.out.printf(Locale.ROOT, "%-8s %-7s %5s %8s %7s %12s %10s %10s%n", "database", "workers", "CSRs", "seconds",
                    "CSRs/s", "requests/CSR", "orders/CSR", "finalize/CSR");
            for (int workers : new int[] {1, 2, 4}) {
                String url = postgres != null ? postgres.newDatabase() : "jdbc:h2:file:" + work.resolve("q" + workers);
                try (CsrQueue queue = CsrQueue.open(url).createSchema();
                     AcmeClient client = AcmeClient.builder(directory).trustAnchors(pebble.trustAnchors()).build()) {
                    KeyPair accountKey = TestCsrs.ecP256();
                    Account account = client.newAccount(Signers.jca(accountKey.getPrivate(), accountKey.getPublic()))
                            .agreeToTermsOfService().create();
                    for (int i = 0; i < n; i++) {
                        queue.submit(CsrSubmission.builder().csr(TestCsrs.der(TestCsrs.ecP256(), TestCsrs.uniqueName("b" + i)))
                                .directory(directory).build());
                    }
                    PebbleLog log = PebbleLog.from(pebble.workDirectory());
                    QueueRunner runner = QueueRunner.builder(queue, account, directory)
                            .solver("dns-01", Dns01Solver.using(new ChallengeTestDns(pebble.dns())))
                            .workers(workers).pollInterval(Duration.ofMillis(50)).build();
                    long start = System.nanoTime();
                    runner.runUntilEmpty();
                    double seconds = (System.nanoTime() - start) / 1e9;
                    long issued = queue.counts().get(CsrState.ISSUED);
                    if (issued != n) {
                        throw new IllegalStateException("only " + issued + " of " + n + " issued: " + queue.counts());
                    }
                    System.out.printf(Locale.ROOT, "%-8s %-7d %5d %8.2f %7.2f %12.1f %10.2f %10.2f%n", database, workers, n,
                            seconds, n / seconds, log.all() / (double) n, log.newOrders() / (double) n,
                            log.finalizations() / (double) n);
                }
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }
}
