package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code keyward queue submit|run|status|get} on H2 in file mode against a real Pebble. */
class QueueCliTest {
    @RegisterExtension
    static PebbleExtension pebble = new PebbleExtension();

    @TempDir
    Path dir;

    private List<String> ca(String... rest) {
        PebbleServer server = pebble.server();
        List<String> all = new ArrayList<>(List.of("--directory", server.directoryUri().toString(),
                "--trust", server.trustAnchorPemFile().toString(), "--account-key", dir.resolve("account.pem").toString()));
        all.addAll(List.of(rest));
        return all;
    }

    private String jdbc() {
        return "jdbc:h2:file:" + dir.resolve("queue").toAbsolutePath();
    }

    @Test
    void submitRunUntilEmptyStatusAndGetIssueEachQueuedCsrForItsOwnKey() throws Exception {
        KeyPair first = ecP256();
        KeyPair second = ecP256();
        Path pem = dir.resolve("first.csr");
        Path der = dir.resolve("second.der");
        Path bad = dir.resolve("bad.der");
        Files.writeString(pem, pem(csr(first, name("one"), name("one-www"))));
        Files.write(der, csr(second, name("two")));
        byte[] tampered = csr(ecP256(), name("bad"));
        tampered[tampered.length - 3] ^= 1;
        Files.write(bad, tampered);

        CliRun one = CliRun.of(ca("queue", "submit", "--jdbc", jdbc(), "--csr", pem.toString()));
        CliRun two = CliRun.of(ca("queue", "submit", "--jdbc", jdbc(), "--csr", der.toString(), "--solver", "dns-01"));
        CliRun three = CliRun.of(ca("queue", "submit", "--jdbc", jdbc(), "--csr", bad.toString()));

        assertThat(one.exitCode).as(one.toString()).isZero();
        assertThat(one.outLines()).containsExactly("1");
        assertThat(one.err).contains("Queued dns:one-");
        assertThat(two.outLines()).as(two.toString()).containsExactly("2");
        assertThat(three.exitCode).as(three.toString()).isEqualTo(2);
        assertThat(three.outLines()).containsExactly("3");
        assertThat(three.errorLines()).containsExactly("keyward: row 3 failed: bad CSR: its signature does not verify");
        assertThat(CliRun.of(List.of("queue", "status", "--jdbc", jdbc())).outLines())
                .containsExactly("pending 2", "in_flight 0", "issued 0", "failed 1");

        CliRun run = CliRun.of(ca("queue", "run", "--jdbc", jdbc(), "--workers", "2", "--until-empty",
                "--dns01-challtestsrv", pebble.server().dns().managementUri().toString()));

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.err).contains("Queue: 2 issued, 1 failed, 0 pending, 0 in flight");
        CliRun status = CliRun.of(List.of("queue", "status", "--jdbc", jdbc()));
        assertThat(status.outLines()).containsExactly("pending 0", "in_flight 0", "issued 2", "failed 1");
        CliRun json = CliRun.of(List.of("queue", "status", "--json", "--jdbc", jdbc()));
        assertThat(json.outLines()).containsExactly("{\"pending\": 0, \"in_flight\": 0, \"issued\": 2, \"failed\": 1}");

        for (int id = 1; id <= 2; id++) {
            Path out = dir.resolve("out" + id);
            CliRun get = CliRun.of(List.of("queue", "get", "--jdbc", jdbc(), "--id", String.valueOf(id), "--out", out.toString()));
            assertThat(get.exitCode).as(get.toString()).isZero();
            List<X509Certificate> leaf = certificates(out.resolve("cert.pem"));
            List<X509Certificate> chain = certificates(out.resolve("chain.pem"));
            assertThat(leaf).hasSize(1);
            assertThat(chain).hasSizeGreaterThanOrEqualTo(2).first().isEqualTo(leaf.get(0));
            assertThat(leaf.get(0).getPublicKey()).isEqualTo((id == 1 ? first : second).getPublic());
        }
        CliRun failed = CliRun.of(List.of("queue", "get", "--jdbc", jdbc(), "--id", "3", "--out", dir.resolve("out3").toString()));
        assertThat(failed.exitCode).isEqualTo(1);
        assertThat(failed.errorLines()).containsExactly("keyward: row 3 failed after 0 attempts: bad CSR: its signature does not verify");
        assertThat(dir.resolve("out3")).doesNotExist();
    }

    @Test
    void runOverHttp01IssuesAndUsageErrorsAreReported() throws Exception {
        KeyPair key = ecP256();
        Path csr = dir.resolve("a.csr");
        Files.writeString(csr, pem(csr(key, name("http"))));
        assertThat(CliRun.of(ca("queue", "submit", "--jdbc", jdbc(), "--csr", csr.toString())).exitCode).isZero();

        CliRun noChallenge = CliRun.of(ca("queue", "run", "--jdbc", jdbc(), "--until-empty"));
        CliRun noDirectory = CliRun.of(List.of("queue", "submit", "--jdbc", jdbc(), "--csr", csr.toString()));
        CliRun notJdbc = CliRun.of(List.of("queue", "status", "--jdbc", "/tmp/queue"));
        CliRun run = CliRun.of(ca("queue", "run", "--jdbc", jdbc(), "--until-empty",
                "--http01-port", String.valueOf(pebble.server().http01Port())));

        assertThat(noChallenge.exitCode).isEqualTo(2);
        assertThat(noChallenge.err).contains("needs --http01-port PORT, --tlsalpn01-port PORT or --dns01-challtestsrv URL");
        assertThat(noDirectory.exitCode).isEqualTo(2);
        assertThat(noDirectory.err).contains("queue submit needs --directory URL");
        assertThat(notJdbc.exitCode).isEqualTo(2);
        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(CliRun.of(List.of("queue", "status", "--jdbc", jdbc())).outLines()).contains("issued 1");
    }

    private static String name(String label) {
        return label + "-" + UUID.randomUUID().toString().substring(0, 8) + ".keyward.test";
    }

    private static KeyPair ecP256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static byte[] csr(KeyPair key, String... names) throws Exception {
        GeneralName[] sans = new GeneralName[names.length];
        for (int i = 0; i < names.length; i++) {
            sans[i] = new GeneralName(GeneralName.dNSName, names[i]);
        }
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
        return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + names[0]), key.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
    }

    private static String pem(byte[] der) throws Exception {
        java.io.StringWriter out = new java.io.StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(new PKCS10CertificationRequest(der));
        }
        return out.toString();
    }

    private static List<X509Certificate> certificates(Path file) throws Exception {
        List<X509Certificate> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            CertificateFactory.getInstance("X.509").generateCertificates(in).forEach(c -> out.add((X509Certificate) c));
        }
        return out;
    }
}
