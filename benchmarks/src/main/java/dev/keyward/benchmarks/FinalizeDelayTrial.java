package dev.keyward.benchmarks;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeTimeoutException;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.PollPolicy;
import dev.keyward.acme.Signers;
import dev.keyward.acme.testkit.PebbleServer;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How often a {@link PollPolicy#finalizeDelay()} stalls Pebble: Pebble's order handler takes the
 * order's read lock twice, and finalization's background completion takes the write lock; a poll
 * that lands in between deadlocks that order for good. For each delay, {@code ROUNDS} fresh Pebbles
 * each get {@code CERTIFICATES} issuances from 16 threads on one account, with {@code BURNERS}
 * busy-looping threads beside them (the CPU load of a build machine); an issuance that passes its
 * 10 s deadline is a stall (the round ends there: a stalled Pebble answers nothing more).
 *
 * <p>Usage: {@code FinalizeDelayTrial ROUNDS CERTIFICATES BURNERS DELAY_MS...} ({@code -Dthreads=N}, default
 * 16). Prints one line per delay: rounds stalled, issuances done, certificates per second, and the
 * round trip of the finalize requests (10th, 50th, 90th percentile). A delay that follows that round
 * trip (ten times it, from 20 to 50 ms) stalled 4 of 15 loaded Pebbles: under load the round trips
 * spread from 5 to 26 ms, and the stalls do not follow them. Not a test.
 */
public final class FinalizeDelayTrial {
    private FinalizeDelayTrial() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        int certificates = Integer.parseInt(args[1]);
        int burners = Integer.parseInt(args[2]);
        AtomicBoolean burn = new AtomicBoolean(true);
        for (int i = 0; i < burners; i++) {
            Thread t = new Thread(() -> {
                long x = 0;
                while (burn.get()) {
                    x += System.nanoTime() % 7;
                }
                if (x == 42) {
                    System.out.print("");
                }
            }, "burner");
            t.setDaemon(true);
            t.start();
        }
        for (int a = 3; a < args.length; a++) {
            Duration delay = Duration.ofMillis(Long.parseLong(args[a]));
            int stalled = 0;
            int done = 0;
            double seconds = 0;
            for (int round = 0; round < rounds; round++) {
                try (PebbleServer pebble = PebbleServer.builder().authorizationReusePercent(0).nonceRejectPercent(0)
                        .vaNoSleep(true).build().start();
                     LookupResponder responder = new LookupResponder(pebble.http01Port());
                     AcmeClient client = AcmeClient.builder(pebble.directoryUri())
                             .trustAnchors(pebble.trustAnchors()).eventListener(FINALIZE_TIMES)
                             .pollPolicy(PollPolicy.builder().finalizeDelay(delay).build()).build()) {
                    KeyPair accountKey = Acme4jFlow.ecP256();
                    Account account = client.newAccount(Signers.jca(accountKey.getPrivate(), accountKey.getPublic())).agreeToTermsOfService().create();
                    AtomicInteger left = new AtomicInteger(certificates);
                    AtomicInteger issued = new AtomicInteger();
                    AtomicBoolean stall = new AtomicBoolean();
                    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
                    long start = System.nanoTime();
                    List<Future<?>> futures = new ArrayList<>();
                    for (int t = 0; t < THREADS; t++) {
                        futures.add(pool.submit(() -> {
                            while (!stall.get() && left.getAndDecrement() > 0) {
                                try {
                                    account.issue(IssuanceRequest.builder()
                                            .domains(List.of("t" + System.nanoTime() + ".keyward.test"))
                                            .certificateKey(key()).solvers(responder.lookup)
                                            .deadline(Duration.ofSeconds(10)).build());
                                    issued.incrementAndGet();
                                } catch (AcmeTimeoutException e) {
                                    stall.set(true);
                                }
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : futures) {
                        f.get(5, TimeUnit.MINUTES);
                    }
                    pool.shutdownNow();
                    seconds += (System.nanoTime() - start) / 1e9;
                    done += issued.get();
                    if (stall.get()) {
                        stalled++;
                    }
                }
            }
            List<Double> times;
            synchronized (FINALIZE_MILLIS) {
                times = new ArrayList<>(FINALIZE_MILLIS);
                FINALIZE_MILLIS.clear();
            }
            times.sort(null);
            System.out.printf(Locale.ROOT, "finalizeDelay %4d ms: %d of %d rounds stalled, %d issuances, %.1f /s;"
                    + " finalize round trip p10/p50/p90 %.1f/%.1f/%.1f ms%n", delay.toMillis(), stalled, rounds, done,
                    done / seconds, pct(times, 0.1), pct(times, 0.5), pct(times, 0.9));
        }
        burn.set(false);
    }

    private static final int THREADS = Integer.getInteger("threads", 16);
    private static final List<Double> FINALIZE_MILLIS = new ArrayList<>();
    private static final dev.keyward.acme.AcmeEventListener FINALIZE_TIMES = new dev.keyward.acme.AcmeEventListener() {
        @Override
        public void requestEnd(String method, java.net.URI url, int status, Duration duration) {
            if (url.getPath().contains("finalize")) {
                synchronized (FINALIZE_MILLIS) {
                    FINALIZE_MILLIS.add(duration.toNanos() / 1e6);
                }
            }
        }
    };

    private static double pct(List<Double> sorted, double p) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) (p * sorted.size())));
    }

    private static dev.keyward.acme.AcmeSigner key() throws java.security.GeneralSecurityException {
        KeyPair pair = Acme4jFlow.ecP256();
        return Signers.jca(pair.getPrivate(), pair.getPublic());
    }
}
