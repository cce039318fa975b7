package dev.keyward.benchmarks;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Http01Server;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.Signers;
import dev.keyward.acme.testkit.PebbleServer;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The wall time of one issuance through the flow ({@code Account.issue}, RFC 8555 section 7.4) for
 * a 10-name order against a 1-name order, in one JVM against one Pebble (no validator sleep, no
 * nonce rejection, no authorization reuse): the flow deploys every answer, then answers every
 * challenge, then polls, so ten names should take about as long as one. One account; the orders
 * alternate, 1 name then 10, after two warm-up issuances of each.
 *
 * <p>Usage: {@code OrderSizeWallTime [N]}, N issuances of each size (default 10). Prints each time
 * and the medians. Not a test: it asserts nothing about timing.
 */
public final class OrderSizeWallTime {
    private static final int DEFAULT_RUNS = 10;
    private static final int WARMUP = 2;
    private static final SecureRandom RANDOM = new SecureRandom();

    private OrderSizeWallTime() {
    }

    /**
     * Runs the harness.
     *
     * @param args optionally the number of issuances of each size (default 10)
     * @throws Exception when Pebble cannot start or an issuance fails
     */
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_RUNS;
        List<Double> one = new ArrayList<>();
        List<Double> ten = new ArrayList<>();
        try (PebbleServer pebble = PebbleServer.builder().authorizationReusePercent(0).vaNoSleep(true).build().start();
             AcmeClient client = AcmeClient.builder(pebble.directoryUri()).trustAnchors(pebble.trustAnchors()).build();
             Http01Server solver = IssuanceFlow.http01(pebble)) {
            System.out.println("Pebble at " + pebble.directoryUri()
                    + " (PEBBLE_VA_NOSLEEP=1, PEBBLE_WFE_NONCEREJECT=0, PEBBLE_AUTHZREUSE=0); " + runs
                    + " issuances of 1 name and of 10 names, one account");
            Account account = client.newAccount(ecP256()).agreeToTermsOfService().create();
            for (int i = -WARMUP; i < runs; i++) {
                double single = issue(account, solver, 1);
                double many = issue(account, solver, 10);
                if (i >= 0) {
                    one.add(single);
                    ten.add(many);
                    System.out.printf("run %2d  1 name %6.0f ms  10 names %6.0f ms%n", i + 1, single, many);
                }
            }
        }
        System.out.println();
        System.out.printf("1 name:   median %6.0f ms  min %6.0f  max %6.0f%n", Stats.median(one), Stats.min(one), Stats.max(one));
        System.out.printf("10 names: median %6.0f ms  min %6.0f  max %6.0f%n", Stats.median(ten), Stats.min(ten), Stats.max(ten));
        System.out.printf("10 names / 1 name: %.2f%n", Stats.median(ten) / Stats.median(one));
    }

    /** Issues for {@code count} fresh names; returns the milliseconds {@code Account.issue} took. */
    private static double issue(Account account, Http01Server solver, int count) throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add("ws-" + i + "-" + Integer.toHexString(RANDOM.nextInt()) + ".keyward.test");
        }
        IssuanceRequest request = IssuanceRequest.builder().domains(names).certificateKey(ecP256()).solvers(solver)
                .build();
        long start = System.nanoTime();
        account.issue(request);
        return (System.nanoTime() - start) / 1e6;
    }

    private static AcmeSigner ecP256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        var pair = generator.generateKeyPair();
        return Signers.jca(pair.getPrivate(), pair.getPublic());
    }
}
