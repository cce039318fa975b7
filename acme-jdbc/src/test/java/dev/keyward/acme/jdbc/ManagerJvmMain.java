package dev.keyward.acme.jdbc;

import dev.keyward.acme.AcmeClock;
import dev.keyward.acme.DnsProvider;
import dev.keyward.acme.manager.CertificateManager;
import dev.keyward.acme.manager.EventListener;
import dev.keyward.acme.manager.ManagedCertificate;
import dev.keyward.acme.testkit.ChallengeTestServer;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A certificate manager JVM for {@link PostgresManagerFleetProcessTest}: keeps the given domains
 * issued and renewed against a Pebble with a {@link JdbcCertificateStorage}, answering dns-01
 * through the challenge test server after a delay (so a test can kill it mid-renewal), and prints
 * one line per event: {@code EVENT SET SERIAL}. Exits after RUN-SECONDS at most.
 * Arguments: JDBC-URL DIRECTORY-URL TRUST-PEM CHALLTESTSRV-URL LEASE-SECONDS DNS-DELAY-MILLIS RUN-SECONDS DOMAIN...
 */
public final class ManagerJvmMain {
    private ManagerJvmMain() {
    }

    public static void main(String[] args) throws Exception {
        URI directory = URI.create(args[1]);
        List<X509Certificate> trust = new ArrayList<>();
        try (InputStream in = Files.newInputStream(Path.of(args[2]))) {
            CertificateFactory.getInstance("X.509").generateCertificates(in).forEach(c -> trust.add((X509Certificate) c));
        }
        ChallengeTestDns answers = new ChallengeTestDns(ChallengeTestServer.of(URI.create(args[3])));
        long delay = Long.parseLong(args[5]);
        DnsProvider slow = new DnsProvider() {
            @Override
            public void setTxt(String name, String value) throws Exception {
                try {
                    TimeUnit.MILLISECONDS.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                answers.setTxt(name, value);
            }

            @Override
            public void removeTxt(String name, String value) throws Exception {
                answers.removeTxt(name, value);
            }
        };
        EventListener print = new EventListener() {
            @Override
            public void certificateLoaded(String set, ManagedCertificate certificate) {
                say("loaded", set, Optional.of(certificate));
            }

            @Override
            public void issuanceStarted(String set, Optional<ManagedCertificate> replacing) {
                say("started", set, replacing);
            }

            @Override
            public void issuanceSucceeded(String set, ManagedCertificate certificate) {
                say("succeeded", set, Optional.of(certificate));
            }

            @Override
            public void issuanceFailed(String set, Exception failure, int consecutiveFailures, Instant nextAttempt) {
                System.out.println("failed " + set + " " + failure);
            }
        };
        String holder = "jvm" + ProcessHandle.current().pid();
        Instant end = Instant.now().plusSeconds(Long.parseLong(args[6]));
        try (JdbcCertificateStorage storage = JdbcCertificateStorage.builder(args[0]).holderName(holder)
                .leaseTime(Duration.ofSeconds(Long.parseLong(args[4]))).build().createSchema();
             CertificateManager manager = FleetManagers.manager(storage, directory, trust, slow, AcmeClock.system(), print,
                     true, Arrays.asList(args).subList(7, args.length))) {
            System.out.println("holder " + holder);
            manager.start();
            while (Instant.now().isBefore(end)) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
        System.exit(0);
    }

    private static synchronized void say(String event, String set, Optional<ManagedCertificate> certificate) {
        System.out.println(event + " " + set + " " + certificate.map(c -> c.leaf().getSerialNumber().toString(16)).orElse("-"));
    }
}
