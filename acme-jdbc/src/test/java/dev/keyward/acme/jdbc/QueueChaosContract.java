package dev.keyward.acme.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet under chaos, on whichever database a subclass gives ({@link #fleetJdbcUrl()}): 4 worker
 * JVMs ({@link QueueWorkerMain}, separate processes, one worker thread and a 3-second lease each)
 * drain 200 CSRs from one table against a real Pebble while a chaos loop SIGKILLs a random worker
 * every 1.5 to 2.5 seconds (while rows are still pending) and starts a replacement, until the queue
 * is drained or {@link #DEADLINE} passes. The test JVM submits the rows and then looks at the table
 * only through short-lived pools, so the workers alone keep the database busy. Then no CSR is lost
 * (every row issued, for its own key), none is duplicated (distinct serials and orders, and exactly
 * one finalize request per row in Pebble's log), and each kill orphaned at most one order. Prints
 * the wall time, CSRs/s and kills, as {@link QueueChaosHarness} does.
 */
abstract class QueueChaosContract {
    static final int JVMS = 4;
    static final int CSRS = 200;
    static final int MIN_KILLS = 3;
    /** The test's own wait: above the workers' lease (3 s) and the library's deadlines. */
    static final Duration DEADLINE = Duration.ofMinutes(4);

    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder().server(PebbleServer.builder().authorizationReusePercent(0)).build();

    @TempDir
    Path logs;

    private final List<Process> started = new ArrayList<>();

    /** A JDBC URL of an empty database that several processes can open at once. */
    abstract String fleetJdbcUrl() throws Exception;

    @AfterEach
    void noWorkerLeftRunning() throws Exception {
        List<Process> alive = started.stream().filter(Process::isAlive).toList();
        for (Process p : alive) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(alive).as("workers still running after the test").isEmpty();
    }

    @Test
    void fourWorkerJvmsDrainTwoHundredCsrsWhileARandomOneIsKilledEveryFewSecondsWithoutDuplicatesOrLosses()
            throws Exception {
        String url = fleetJdbcUrl();
        URI directory = pebble.server().directoryUri();
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<KeyPair> keys;
        try (CsrQueue queue = CsrQueue.open(url).createSchema()) {
            keys = PostgresFleetTest.submit(queue, directory, CSRS);
        }
        PebbleLog log = PebbleLog.from(pebble.server().workDirectory());
        WorkerJvms jvms = new WorkerJvms(url, pebble.server(), TestCsrs.ecP256(), logs, 1, 3);
        List<Process> running = new ArrayList<>();
        List<Process> killed = new ArrayList<>();
        for (int i = 0; i < JVMS; i++) {
            running.add(start(jvms));
        }
        long start = System.nanoTime();
        Instant deadline = Instant.now().plus(DEADLINE);

        while (true) {
            for (Process exited : running.stream().filter(p -> !p.isAlive()).toList()) {
                assertThat(exited.exitValue()).as("a worker that exits by itself exits 0; logs in %s", logs).isZero();
                running.remove(exited);
            }
            Map<CsrState, Long> counts = counts(url);
            if (counts.get(CsrState.PENDING) + counts.get(CsrState.IN_FLIGHT) == 0) {
                break;
            }
            assertThat(running).as("workers while rows remain: %s", counts).isNotEmpty();
            assertThat(Instant.now()).as("queue drained before the deadline: %s; logs in %s", counts, logs)
                    .isBefore(deadline);
            TimeUnit.MILLISECONDS.sleep(1500 + random.nextInt(1000));
            if (counts(url).get(CsrState.PENDING) > 0) {
                Process victim = running.remove(random.nextInt(running.size()));
                victim.destroyForcibly();
                assertThat(victim.waitFor(30, TimeUnit.SECONDS)).as("killed worker gone").isTrue();
                killed.add(victim);
                running.add(start(jvms));
            }
        }
        for (Process p : running) {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("worker exits once the queue is empty; logs in %s", logs)
                    .isTrue();
            assertThat(p.exitValue()).as("exit code; logs in %s", logs).isZero();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int newOrders = log.newOrders();
        System.out.printf("%s: JVMs %d, CSRs %d, kills %d (JVMs started %d), %.1f s, %.2f CSRs/s, orphan orders %d,"
                        + " seed %d%n", getClass().getSimpleName(), JVMS, CSRS, killed.size(), jvms.started(), seconds,
                CSRS / seconds, newOrders - CSRS, seed);

        assertThat(killed).as("kills that happened").hasSizeGreaterThanOrEqualTo(MIN_KILLS);
        for (Process victim : killed) {
            assertThat(victim.exitValue()).as("killed with SIGKILL").isEqualTo(128 + 9);
        }
        try (CsrQueue queue = CsrQueue.open(url)) {
            PostgresFleetTest.assertAllIssuedOnce(queue, url, keys);
            assertThat(queue.counts()).containsEntry(CsrState.FAILED, 0L).containsEntry(CsrState.PENDING, 0L)
                .containsEntry(CsrState.IN_FLIGHT, 0L);
        }
        assertThat(log.finalizations()).as("finalize requests: one per row").isEqualTo(CSRS);
        assertThat(newOrders).as("newOrder requests: one per row, at most one orphan per kill")
                .isBetween(CSRS, CSRS + killed.size());
    }

    /** The queue's counts through a pool opened for this look only: the workers alone keep the database open. */
    private static Map<CsrState, Long> counts(String url) throws CsrQueueException {
        try (CsrQueue queue = CsrQueue.open(url)) {
            return queue.counts();
        }
    }

    private Process start(WorkerJvms jvms) throws Exception {
        Process p = jvms.start();
        started.add(p);
        return p;
    }
}
