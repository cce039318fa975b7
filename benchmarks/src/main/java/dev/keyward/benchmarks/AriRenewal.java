package dev.keyward.benchmarks;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Http01Server;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.IssuanceResult;
import dev.keyward.acme.RenewalInfo;
import dev.keyward.acme.Signers;
import dev.keyward.acme.testkit.PebbleProfile;
import dev.keyward.acme.testkit.PebbleServer;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * An ARI-driven renewal (RFC 9773) against Pebble 2.10 with a 6-day {@code shortlived} profile:
 * issue, fetch the renewal information, choose the renewal time in the window (section 4.2), then
 * renew with {@code replaces} (section 5). Prints the window, the chosen time and the requests of
 * each step, counted from Pebble's log.
 *
 * <p>Usage: {@code AriRenewal}. Not a test: it asserts nothing.
 */
public final class AriRenewal {
    private AriRenewal() {
    }

    /**
     * Runs the harness.
     *
     * @param args none
     * @throws Exception when Pebble cannot start or an issuance fails
     */
    public static void main(String[] args) throws Exception {
        try (PebbleServer pebble = PebbleServer.builder().authorizationReusePercent(0).vaNoSleep(true)
                .profiles(Map.of("shortlived", new PebbleProfile("6 days", Duration.ofDays(6)))).build().start();
             AcmeClient client = AcmeClient.builder(pebble.directoryUri()).trustAnchors(pebble.trustAnchors()).build();
             Http01Server solver = IssuanceFlow.http01(pebble)) {
            PebbleRequestLog log = new PebbleRequestLog(pebble.workDirectory().resolve("pebble.log"));
            String name = "ari-" + Integer.toHexString(new SecureRandom().nextInt()) + ".keyward.test";

            long mark = log.mark();
            Account account = client.newAccount(ecP256()).agreeToTermsOfService().create();
            IssuanceResult first = account.issue(IssuanceRequest.builder().domains(name).certificateKey(ecP256())
                    .solvers(solver).profile("shortlived").build());
            report("first issuance (with directory, nonce, account)", log, mark);
            X509Certificate leaf = first.chain().leaf();
            System.out.println("  lifetime " + leaf.getNotBefore().toInstant() + " .. " + leaf.getNotAfter().toInstant());

            mark = log.mark();
            RenewalInfo info = client.fetchRenewalInfo(leaf);
            Instant now = Instant.now();
            Instant renewAt = info.chooseRenewalTime(now, new SecureRandom());
            report("renewal information", log, mark);
            System.out.println("  window " + info.windowStart() + " .. " + info.windowEnd() + ", next check "
                    + info.nextCheck(now) + ", chosen renewal time " + renewAt);

            mark = log.mark();
            long start = System.nanoTime();
            IssuanceResult renewed = account.issue(IssuanceRequest.builder().domains(name).certificateKey(ecP256())
                    .solvers(solver).profile("shortlived").replaces(leaf).build());
            double ms = (System.nanoTime() - start) / 1e6;
            report("renewal with replaces", log, mark);
            System.out.printf("  %.0f ms; the order replaces %s; new serial %s%n", ms,
                    renewed.order().replaces().orElse("(none)"), renewed.chain().leaf().getSerialNumber().toString(16));
        }
    }

    private static void report(String what, PebbleRequestLog log, long mark) throws Exception {
        Map<String, Integer> counts = log.requestsSince(mark);
        System.out.println(what + ": " + PebbleRequestLog.total(counts) + " requests " + counts);
    }

    private static AcmeSigner ecP256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        var pair = generator.generateKeyPair();
        return Signers.jca(pair.getPrivate(), pair.getPublic());
    }
}
