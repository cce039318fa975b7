package dev.keyward.acme.jdbc;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.Dns01Solver;
import dev.keyward.acme.Signers;
import dev.keyward.acme.testkit.ChallengeTestServer;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A worker JVM for the multi-process tests and harnesses: drains the queue until it is empty
 * against a Pebble, answering dns-01 through its challenge test server.
 * Arguments: JDBC-URL DIRECTORY-URL TRUST-PEM PKCS8-BASE64:X509-BASE64 CHALLTESTSRV-URL WORKERS LEASE-SECONDS
 */
public final class QueueWorkerMain {
    private QueueWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        URI directory = URI.create(args[1]);
        List<X509Certificate> trust = new ArrayList<>();
        try (InputStream in = Files.newInputStream(Path.of(args[2]))) {
            CertificateFactory.getInstance("X.509").generateCertificates(in).forEach(c -> trust.add((X509Certificate) c));
        }
        String[] key = args[3].split(":");
        PrivateKey privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(key[0])));
        PublicKey publicKey = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(key[1])));
        try (CsrQueue queue = CsrQueue.open(args[0]);
             AcmeClient client = AcmeClient.builder(directory).trustAnchors(trust).build()) {
            Account account = client.newAccount(Signers.jca(privateKey, publicKey)).agreeToTermsOfService().create();
            QueueRunner runner = QueueRunner.builder(queue, account, directory)
                    .solver("dns-01", Dns01Solver.using(new ChallengeTestDns(ChallengeTestServer.of(URI.create(args[4])))))
                    .workers(Integer.parseInt(args[5])).lease(Duration.ofSeconds(Long.parseLong(args[6])))
                    .backoff(Duration.ofMillis(200), Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100))
                    .workerName("jvm" + ProcessHandle.current().pid()).build();
            runner.runUntilEmpty();
        }
        System.exit(0);
    }
}
