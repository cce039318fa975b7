package dev.keyward.benchmarks;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Http01Server;
import dev.keyward.acme.Signers;
import dev.keyward.acme.testkit.PebbleServer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * Counts the HTTP requests of one whole issuance (RFC 8555 section 7.4) as the {@code keyward}
 * CLI makes it: a new account key, a new account, a one-name order answered by http-01, finalize
 * and download, each run with a new {@link AcmeClient} so that the directory GET and the
 * {@code newNonce} HEAD count as they would in a fresh process.
 *
 * <p>The floor is 10 requests: directory, newNonce, newAccount, newOrder, authorization, challenge,
 * one authorization poll, finalize, one order poll and the certificate. Pebble runs without
 * validator sleep or nonce rejection and, by default, without authorization reuse, so any request
 * beyond the floor is a poll that found the server not done yet.
 *
 * <p>With a reuse share above 0 every run uses one account key and one name, as renewals of one
 * certificate do, so from the second run on Pebble may hand out the valid authorization again: the
 * order is then {@code ready} at once and the issuance needs 7 requests (directory, newNonce,
 * newAccount finding the account, newOrder, finalize, one order poll, the certificate).
 *
 * <p>Usage: {@code RoundTrips [N [REUSE]]}, N issuances (default 30), REUSE the percentage of
 * {@code PEBBLE_AUTHZREUSE} (default 0). Prints one line per run and a summary.
 * Not a test: it asserts nothing about timing and fails only when an issuance fails.
 */
public final class RoundTrips {
    private static final int DEFAULT_RUNS = 30;
    private static final int FLOOR = 10;
    /** What the floor holds of each kind. */
    private static final Map<RequestKind, Integer> FLOOR_BY_KIND = new EnumMap<>(Map.of(
            RequestKind.DIRECTORY, 1, RequestKind.NEW_NONCE, 1, RequestKind.NEW_ACCOUNT, 1,
            RequestKind.NEW_ORDER, 1, RequestKind.AUTHORIZATION, 2, RequestKind.CHALLENGE, 1,
            RequestKind.FINALIZE, 1, RequestKind.ORDER, 1, RequestKind.CERTIFICATE, 1));

    private RoundTrips() {
    }

    /** One issuance's figures. */
    private record Run(int number, String name, RequestCounter counter, long millis) {
        int polls() {
            return counter.count(RequestKind.AUTHORIZATION) - 1 + counter.count(RequestKind.ORDER);
        }

        /** @return each kind with more requests than the floor holds, as {@code kind+extra} */
        String extras() {
            List<String> extras = new ArrayList<>();
            for (RequestKind kind : RequestKind.values()) {
                int extra = counter.count(kind) - FLOOR_BY_KIND.getOrDefault(kind, 0);
                if (extra > 0) {
                    extras.add(kind.label() + "+" + extra);
                }
            }
            return String.join(" ", extras);
        }
    }

    /**
     * Runs the harness.
     *
     * @param args optionally the number of issuances (default 30)
     * @throws Exception when Pebble cannot start or an issuance fails
     */
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_RUNS;
        int reuse = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        if (runs < 1) {
            throw new IllegalArgumentException("N must be at least 1");
        }
        SecureRandom random = new SecureRandom();
        List<Run> results = new ArrayList<>();
        AcmeSigner sharedAccountKey = signer(ecP256());
        String sharedName = "rt-" + Integer.toHexString(random.nextInt()) + ".keyward.test";
        try (PebbleServer pebble = PebbleServer.builder().authorizationReusePercent(reuse).build().start();
             Http01Server http01 = IssuanceFlow.http01(pebble)) {
            System.out.println("Pebble at " + pebble.directoryUri()
                    + " (PEBBLE_VA_NOSLEEP=1, PEBBLE_WFE_NONCEREJECT=0, PEBBLE_AUTHZREUSE=" + reuse + "); " + runs
                    + " issuances" + (reuse > 0 ? ", one account and one name" : ""));
            for (int i = 1; i <= runs; i++) {
                byte[] suffix = new byte[4];
                random.nextBytes(suffix);
                String name = reuse > 0 ? sharedName : "rt-" + i + "-" + HexFormat.of().formatHex(suffix) + ".keyward.test";
                Run run = issueOnce(pebble, http01, i, name, reuse > 0 ? sharedAccountKey : signer(ecP256()));
                results.add(run);
                System.out.printf("run %2d  %-32s  %2d requests  %d polls (authz %d, order %d)  %4d ms%s%n",
                        i, name, run.counter.total(), run.polls(), run.counter.count(RequestKind.AUTHORIZATION),
                        run.counter.count(RequestKind.ORDER), run.millis,
                        run.extras().isEmpty() ? "" : "  extra: " + run.extras());
            }
        }
        printSummary(results);
    }

    private static Run issueOnce(PebbleServer pebble, Http01Server http01, int number, String name,
                                 AcmeSigner accountKey)
            throws Exception {
        RequestCounter counter = new RequestCounter();
        OkHttpClient http = new OkHttpClient.Builder()
                .addInterceptor(counter)
                .sslSocketFactory(pebble.sslContext().getSocketFactory(), pebble.trustManager())
                // As AcmeClient's own default client: every exchange reaches the interceptor.
                .followRedirects(false)
                .connectTimeout(10, TimeUnit.SECONDS)
                .readTimeout(30, TimeUnit.SECONDS)
                .writeTimeout(30, TimeUnit.SECONDS)
                .callTimeout(60, TimeUnit.SECONDS)
                .build();
        AcmeSigner certificateKey = signer(ecP256());
        long start = System.nanoTime();
        try (AcmeClient client = AcmeClient.builder(pebble.directoryUri())
                .trustAnchors(pebble.trustAnchors())
                .httpClient(http)
                .build()) {
            CertificateChain chain = IssuanceFlow.issue(client, http01, accountKey,
                    List.of(name), certificateKey);
            if (!chain.leaf().getSubjectAlternativeNames().toString().contains(name)) {
                throw new IllegalStateException("run " + number + ": the certificate does not name " + name);
            }
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
        return new Run(number, name, counter, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    private static void printSummary(List<Run> results) {
        List<Integer> totals = new ArrayList<>();
        List<Integer> polls = new ArrayList<>();
        Map<Integer, Integer> distribution = new TreeMap<>();
        for (Run run : results) {
            totals.add(run.counter.total());
            polls.add(run.polls());
            distribution.merge(run.counter.total(), 1, Integer::sum);
        }
        System.out.println();
        System.out.println("Requests per issuance over " + results.size() + " runs (floor " + FLOOR + "):");
        distribution.forEach((total, count) -> System.out.printf("  %2d requests: %2d runs%n", total, count));
        System.out.printf("  min %.0f  median %.1f  max %.0f%n", Stats.min(totals), Stats.median(totals), Stats.max(totals));
        System.out.printf("Polls per issuance: min %.0f  median %.1f  max %.0f%n",
                Stats.min(polls), Stats.median(polls), Stats.max(polls));

        System.out.println();
        System.out.println("Breakdown by kind (floor per run; total over all runs; min-max per run):");
        for (RequestKind kind : RequestKind.values()) {
            List<Integer> counts = new ArrayList<>();
            int sum = 0;
            for (Run run : results) {
                counts.add(run.counter.count(kind));
                sum += run.counter.count(kind);
            }
            if (sum == 0 && !FLOOR_BY_KIND.containsKey(kind)) {
                continue;
            }
            System.out.printf("  %-10s floor %d  total %4d  per run %.0f-%.0f%n", kind.label(),
                    FLOOR_BY_KIND.getOrDefault(kind, 0), sum, Stats.min(counts), Stats.max(counts));
        }
        Map<String, Integer> byMethod = new TreeMap<>();
        List<String> unclassified = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Run run : results) {
            run.counter.byMethodAndKind().forEach((key, count) -> byMethod.merge(key, count, Integer::sum));
            unclassified.addAll(run.counter.unclassified());
            errors.addAll(run.counter.errors());
        }
        System.out.println("By method and kind, over all runs: " + byMethod);
        System.out.println("Unclassified requests: " + (unclassified.isEmpty() ? "none" : unclassified));
        System.out.println("Error responses: " + (errors.isEmpty() ? "none" : errors));
    }

    private static KeyPair ecP256() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static AcmeSigner signer(KeyPair pair) {
        return Signers.jca(pair.getPrivate(), pair.getPublic());
    }
}
