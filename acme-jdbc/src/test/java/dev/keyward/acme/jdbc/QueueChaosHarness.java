package dev.keyward.acme.jdbc;

import dev.keyward.acme.testkit.PebbleServer;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A harness, not a test: 4 worker JVMs drain 200 CSRs from one PostgreSQL table while a chaos loop
 * SIGKILLs a random worker every few seconds and starts a new one; prints the duplicates (rows
 * finalized more than once, serials shared) and the losses (rows not issued). Arguments:
 * [JVMS] [CSRS] [KILL-EVERY-SECONDS] (default 4 200 3). Run as {@link QueueBenchmark} says.
 */
public final class QueueChaosHarness {
    private QueueChaosHarness() {
    }

    public static void main(String[] args) throws Exception {
        int jvmCount = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int killEvery = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path logs = Files.createTempDirectory("keyward-chaos");
        Random random = new Random();
        try (PostgresServer postgres = PostgresServer.start();
             PebbleServer pebble = PebbleServer.builder().authorizationReusePercent(0).build().start()) {
            String url = postgres.newDatabase();
            URI directory = pebble.directoryUri();
            try (CsrQueue queue = CsrQueue.open(url).createSchema()) {
                List<KeyPair> keys = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    KeyPair key = TestCsrs.ecP256();
                    keys.add(key);
                    queue.submit(CsrSubmission.builder().csr(TestCsrs.der(key, TestCsrs.uniqueName("chaos" + i)))
                            .directory(directory).build());
                }
                PebbleLog log = PebbleLog.from(pebble.workDirectory());
                WorkerJvms jvms = new WorkerJvms(url, pebble, TestCsrs.ecP256(), logs, 1, 3);
                List<Process> running = new ArrayList<>();
                for (int i = 0; i < jvmCount; i++) {
                    running.add(jvms.start());
                }
                long start = System.nanoTime();
                int kills = 0;
                while (true) {
                    running.removeIf(p -> !p.isAlive());
                    long active = queue.counts().get(CsrState.PENDING) + queue.counts().get(CsrState.IN_FLIGHT);
                    if (active == 0 || running.isEmpty()) {
                        break;
                    }
                    TimeUnit.SECONDS.sleep(killEvery);
                    if (!running.isEmpty() && queue.counts().get(CsrState.PENDING) > jvmCount) {
                        Process victim = running.remove(random.nextInt(running.size()));
                        victim.destroyForcibly().waitFor();
                        kills++;
                        running.add(jvms.start());
                    }
                }
                for (Process p : running) {
                    p.waitFor(120, TimeUnit.SECONDS);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                Set<BigInteger> serials = new HashSet<>();
                int issued = 0;
                int wrongKey = 0;
                for (int i = 0; i < n; i++) {
                    QueuedCsr row = queue.get(i + 1).orElseThrow();
                    if (row.state() == CsrState.ISSUED) {
                        issued++;
                        X509Certificate leaf = QueueContract.certificates(row.chainPem().orElseThrow()).get(0);
                        serials.add(leaf.getSerialNumber());
                        wrongKey += leaf.getPublicKey().equals(keys.get(i).getPublic()) ? 0 : 1;
                    }
                }
                int finalizations = log.finalizations();
                System.out.printf("JVMs %d, CSRs %d, kills %d (JVMs started %d), %.1f s, %.2f CSRs/s%n", jvmCount, n, kills,
                        jvms.started(), seconds, n / seconds);
                System.out.printf("issued %d, losses %d, distinct serials %d, leaf key mismatches %d%n", issued, n - issued,
                        serials.size(), wrongKey);
                System.out.printf("finalize requests %d (duplicates %d), newOrder requests %d (orphans of kills %d)%n",
                        finalizations, finalizations - n, log.newOrders(), log.newOrders() - n);
                System.out.println("queue " + queue.counts() + "; worker logs in " + logs);
            }
        }
    }
}
