package dev.keyward.acme.jdbc;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClock;
import dev.keyward.acme.ChallengeSolver;
import dev.keyward.acme.IssuanceListener;
import dev.keyward.acme.IssuanceRequest;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workers that drain a {@link CsrQueue} for one CA directory and one account: each claims a due
 * row in a short transaction with a lease, runs the issuance flow ({@link Account#issue}, RFC 8555
 * section 7.4) outside any transaction with the row's CSR, and stores the chain. The order URL is
 * stored before finalize, so a worker that dies is resumed by another once its lease expires,
 * without a second order; a CSR is never finalized twice. A live worker renews its lease every
 * third of it.
 *
 * <p>Failures: a bad CSR (signature, names, key type) fails at once, before any request;
 * {@code rateLimited} moves the next attempt to the CA's {@code Retry-After} (not counted as an
 * attempt); problems no retry can mend ({@code rejectedIdentifier}, {@code badCSR}, ...) fail at
 * once; other failures are retried with exponential backoff until {@link Builder#maxAttempts}
 * attempts, then the row fails with the last problem. A lost database is waited for, up to
 * {@link Builder#databaseOutage}.
 *
 * <p>Defaults: 1 worker, account name {@value CsrSubmission#DEFAULT_ACCOUNT}, 5 attempts, a lease
 * of 60 s, a backoff from 5 s doubling up to 5 min, an issuance deadline of 5 min, a poll interval
 * of 500 ms, a database outage of 5 min tolerated, the system clock.
 */
public final class QueueRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueueRunner.class);

    private final CsrQueue queue;
    private final Account account;
    private final URI directory;
    private final String accountName;
    private final Map<String, ChallengeSolver> solvers;
    private final int workers;
    private final int maxAttempts;
    private final Duration lease;
    private final Duration backoff;
    private final Duration maxBackoff;
    private final Duration issuanceDeadline;
    private final Duration pollInterval;
    private final Duration databaseOutage;
    private final AcmeClock clock;
    private final IssuanceListener listener;
    private final String workerName;
    private final Set<Claim> held = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService heartbeat;

    private QueueRunner(Builder b) {
        this.queue = b.queue;
        this.account = b.account;
        this.directory = b.directory;
        this.accountName = b.accountName;
        this.solvers = Collections.unmodifiableMap(new LinkedHashMap<>(b.solvers));
        this.workers = b.workers;
        this.maxAttempts = b.maxAttempts;
        this.lease = b.lease;
        this.backoff = b.backoff;
        this.maxBackoff = b.maxBackoff;
        this.issuanceDeadline = b.issuanceDeadline;
        this.pollInterval = b.pollInterval;
        this.databaseOutage = b.databaseOutage;
        this.clock = b.clock;
        this.listener = b.listener;
        this.workerName = b.workerName;
    }

    /**
     * A builder for workers of this queue that issue with this account.
     *
     * @param queue the queue
     * @param account the account (its client knows the CA)
     * @param directory the CA's directory URL the rows must name
     * @return a builder with the defaults
     */
    public static Builder builder(CsrQueue queue, Account account, URI directory) {
        return new Builder(queue, account, directory);
    }

    /**
     * Claims at most one due row (or one whose lease expired) and works it in the calling thread.
     *
     * @return whether a row was claimed
     * @throws CsrQueueException if the database failed; the row, if any, stays claimed until its lease expires
     */
    public boolean runOnce() throws CsrQueueException {
        return runOnce(workerName);
    }

    /**
     * Runs the workers until no row of this directory and account is pending or in flight (rows
     * that failed are recorded, not an error), then returns.
     *
     * @throws CsrQueueException if the schema is missing or of another version, or the database
     *     stayed lost longer than {@link Builder#databaseOutage}
     * @throws InterruptedException if the calling thread is interrupted
     */
    public void runUntilEmpty() throws CsrQueueException, InterruptedException {
        runWorkers(true);
    }

    /**
     * Runs the workers until the calling thread is interrupted.
     *
     * @throws CsrQueueException as {@link #runUntilEmpty()}
     * @throws InterruptedException when interrupted: the way to stop
     */
    public void run() throws CsrQueueException, InterruptedException {
        runWorkers(false);
    }

    /** Stops renewing leases; rows still held expire and are taken over. */
    @Override
    public synchronized void close() {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
            heartbeat = null;
        }
    }

    private void runWorkers(boolean untilEmpty) throws CsrQueueException, InterruptedException {
        queue.checkSchema();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "keyward-queue-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                String name = workers == 1 ? workerName : workerName + "-" + (i + 1);
                futures.add(pool.submit(() -> {
                    loop(name, untilEmpty);
                    return null;
                }));
            }
            for (Future<Void> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    pool.shutdownNow();
                    Throwable cause = e.getCause();
                    if (cause instanceof CsrQueueException) {
                        throw (CsrQueueException) cause;
                    }
                    if (cause instanceof InterruptedException) {
                        throw (InterruptedException) cause;
                    }
                    if (cause instanceof RuntimeException) {
                        throw (RuntimeException) cause;
                    }
                    if (cause instanceof Error) {
                        throw (Error) cause;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            pool.shutdownNow();
            close();
        }
    }

    private void loop(String name, boolean untilEmpty) throws CsrQueueException, InterruptedException {
        Instant outageSince = null;
        Duration pause = Duration.ofMillis(200);
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException("queue worker " + name + " interrupted");
            }
            try {
                boolean worked = runOnce(name);
                outageSince = null;
                pause = Duration.ofMillis(200);
                if (worked) {
                    continue;
                }
                if (untilEmpty && queue.active(directory, accountName) == 0) {
                    return;
                }
                clock.sleep(pollInterval);
            } catch (CsrQueueException e) {
                Instant now = clock.now();
                outageSince = outageSince == null ? now : outageSince;
                if (Duration.between(outageSince, now).compareTo(databaseOutage) > 0) {
                    throw e;
                }
                LOG.warn("queue worker {}: {}; trying again in {}", name, e.getMessage(), pause);
                clock.sleep(pause);
                pause = min(pause.multipliedBy(2), Duration.ofSeconds(5));
            }
        }
    }

    private boolean runOnce(String name) throws CsrQueueException {
        Instant now = clock.now();
        Claim claim = queue.claim(directory, accountName, name, now, now.plus(lease));
        if (claim == null) {
            return false;
        }
        held.add(claim);
        startHeartbeat();
        try {
            new RowWork(this, claim).run();
        } finally {
            held.remove(claim);
        }
        return true;
    }

    private synchronized void startHeartbeat() {
        if (heartbeat != null) {
            return;
        }
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keyward-queue-lease");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(100, lease.toMillis() / 3);
        heartbeat.scheduleAtFixedRate(this::renewLeases, period, period, TimeUnit.MILLISECONDS);
    }

    private void renewLeases() {
        for (Claim claim : held) {
            try {
                queue.renew(claim, clock.now().plus(lease));
            } catch (CsrQueueException | RuntimeException e) {
                LOG.warn("cannot renew the lease of row {}: {}", claim.id(), e.getMessage());
            }
        }
    }

    // ---- for RowWork ----

    CsrQueue queue() {
        return queue;
    }

    AcmeClock clock() {
        return clock;
    }

    Account account() {
        return account;
    }

    Map<String, ChallengeSolver> solvers() {
        return solvers;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    Duration issuanceDeadline() {
        return issuanceDeadline;
    }

    Duration databaseOutage() {
        return databaseOutage;
    }

    IssuanceListener listener() {
        return listener;
    }

    /** The wait after the given number of attempts: the base doubled per attempt, capped. */
    Duration backoff(int attempts) {
        Duration wait = backoff;
        for (int i = 1; i < attempts && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return min(wait, maxBackoff);
    }

    void pause(Duration duration) throws CsrQueueException {
        try {
            clock.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CsrQueueException("interrupted while waiting for the database", e);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public String toString() {
        return "QueueRunner{" + directory + ", account " + accountName + ", " + workers + " workers, solvers "
                + solvers.keySet() + "}";
    }

    /** Builds a {@link QueueRunner}; each setter checks its argument at once. */
    public static final class Builder {
        private final CsrQueue queue;
        private final Account account;
        private final URI directory;
        private String accountName = CsrSubmission.DEFAULT_ACCOUNT;
        private final Map<String, ChallengeSolver> solvers = new LinkedHashMap<>();
        private int workers = 1;
        private int maxAttempts = 5;
        private Duration lease = Duration.ofSeconds(60);
        private Duration backoff = Duration.ofSeconds(5);
        private Duration maxBackoff = Duration.ofMinutes(5);
        private Duration issuanceDeadline = IssuanceRequest.DEFAULT_DEADLINE;
        private Duration pollInterval = Duration.ofMillis(500);
        private Duration databaseOutage = Duration.ofMinutes(5);
        private AcmeClock clock = AcmeClock.system();
        private IssuanceListener listener = IssuanceListener.NONE;
        private String workerName = defaultWorkerName();

        private Builder(CsrQueue queue, Account account, URI directory) {
            this.queue = Objects.requireNonNull(queue, "queue");
            this.account = Objects.requireNonNull(account, "account");
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /**
         * The account name of the rows to serve (default {@value CsrSubmission#DEFAULT_ACCOUNT}).
         *
         * @param name as given to {@link CsrSubmission.Builder#account}
         * @return this builder
         */
        public Builder accountName(String name) {
            this.accountName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Adds a challenge solver under a name rows can ask for ({@link CsrSubmission.Builder#solvers});
         * a row that names none gets every solver, in the order added. At least one is needed.
         *
         * @param name for example {@code http-01}
         * @param solver the solver; shared by the workers, so it must be thread-safe (core's are)
         * @return this builder
         */
        public Builder solver(String name, ChallengeSolver solver) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank() || name.contains(",")) {
                throw new IllegalArgumentException("a solver name must be non-blank, without ','");
            }
            solvers.put(name, Objects.requireNonNull(solver, "solver"));
            return this;
        }

        /**
         * How many worker threads {@link #runUntilEmpty()} and {@link #run()} start (default 1).
         *
         * @param count 1 to 256
         * @return this builder
         */
        public Builder workers(int count) {
            if (count < 1 || count > 256) {
                throw new IllegalArgumentException("workers must be 1 to 256, was " + count);
            }
            this.workers = count;
            return this;
        }

        /**
         * How many attempts a row gets before it fails with its last problem (default 5).
         *
         * @param attempts 1 to 1000
         * @return this builder
         */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1 || attempts > 1000) {
                throw new IllegalArgumentException("maxAttempts must be 1 to 1000, was " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * How long a claim lasts without renewal (default 60 s): a dead worker's row is taken over
         * this long after its last renewal.
         *
         * @param duration 1 s to 1 h
         * @return this builder
         */
        public Builder lease(Duration duration) {
            this.lease = within("lease", duration, Duration.ofSeconds(1), Duration.ofHours(1));
            return this;
        }

        /**
         * The wait before the second attempt, doubled for each later one, up to {@code max}
         * (defaults 5 s and 5 min).
         *
         * @param first the first wait, 0 to 1 h
         * @param max the longest wait, at least {@code first}, at most 1 day
         * @return this builder
         */
        public Builder backoff(Duration first, Duration max) {
            this.backoff = within("backoff", first, Duration.ZERO, Duration.ofHours(1));
            this.maxBackoff = within("max backoff", max, first, Duration.ofDays(1));
            return this;
        }

        /**
         * The deadline of each issuance (default {@link IssuanceRequest#DEFAULT_DEADLINE}).
         *
         * @param duration 1 s to 1 day
         * @return this builder
         */
        public Builder issuanceDeadline(Duration duration) {
            this.issuanceDeadline = within("issuance deadline", duration, Duration.ofSeconds(1), Duration.ofDays(1));
            return this;
        }

        /**
         * How long an idle worker waits before looking for a due row again (default 500 ms).
         *
         * @param duration 10 ms to 1 min
         * @return this builder
         */
        public Builder pollInterval(Duration duration) {
            this.pollInterval = within("poll interval", duration, Duration.ofMillis(10), Duration.ofMinutes(1));
            return this;
        }

        /**
         * How long the workers wait for a lost database before they give up (default 5 min).
         *
         * @param duration 0 to 1 day
         * @return this builder
         */
        public Builder databaseOutage(Duration duration) {
            this.databaseOutage = within("database outage", duration, Duration.ZERO, Duration.ofDays(1));
            return this;
        }

        /**
         * The clock of leases, attempt times and waits (default the system clock).
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(AcmeClock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * A listener told of every issuance's steps, after the row is written.
         *
         * @param value the listener
         * @return this builder
         */
        public Builder listener(IssuanceListener value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        /**
         * The name written in the {@code worker} column (default {@code PID@HOST}); several
         * workers get {@code -1}, {@code -2}, ... appended.
         *
         * @param name 1 to 200 characters
         * @return this builder
         */
        public Builder workerName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank() || name.length() > 200) {
                throw new IllegalArgumentException("a worker name must have 1 to 200 characters");
            }
            this.workerName = name;
            return this;
        }

        /**
         * Builds the runner.
         *
         * @return the runner
         * @throws IllegalStateException without a solver
         */
        public QueueRunner build() {
            if (solvers.isEmpty()) {
                throw new IllegalStateException("a queue runner needs at least one solver");
            }
            return new QueueRunner(this);
        }

        private static Duration within(String what, Duration value, Duration min, Duration max) {
            Objects.requireNonNull(value, what);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(what + " must be " + min + " to " + max + ", was " + value);
            }
            return value;
        }

        private static String defaultWorkerName() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "localhost";
            }
            return ProcessHandle.current().pid() + "@" + host;
        }
    }
}
