package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The {@code keyward} command line against a real Pebble: outputs, files and exit codes. */
class KeywardCliTest {
    @RegisterExtension
    static PebbleExtension pebble = new PebbleExtension();

    @TempDir
    Path dir;

    private static List<String> ca() {
        PebbleServer server = pebble.server();
        return List.of("--directory", server.directoryUri().toString(),
                "--trust", server.trustAnchorPemFile().toString());
    }

    private static List<String> args(List<String> first, String... rest) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(rest));
        return all;
    }

    private static String name(String label) {
        return label + "-" + UUID.randomUUID().toString().substring(0, 8) + ".keyward.test";
    }

    @Test
    void accountRegisterPrintsTheAccountUrlAloneOnTheFirstLineAndReusesTheKeyFile() {
        Path key = dir.resolve("account.pem");

        CliRun first = CliRun.of(args(ca(), "--account-key", key.toString(), "account", "register",
                "--contact", "mailto:ops@keyward.test"));
        CliRun second = CliRun.of(args(ca(), "--account-key", key.toString(), "account", "register"));

        assertThat(first.exitCode).as(first.toString()).isEqualTo(0);
        assertThat(first.outLines().get(0)).startsWith("https://127.0.0.1:").contains("/my-account/");
        assertThat(first.err).contains("terms of service").contains("Created account key");
        assertThat(key).exists();
        assertThat(second.exitCode).as(second.toString()).isEqualTo(0);
        assertThat(second.outLines().get(0)).isEqualTo(first.outLines().get(0));
    }

    @Test
    void issueOverHttp01WritesTheLeafTheFullChainAndTheGeneratedKey() throws Exception {
        String name = name("cli");
        Path out = dir.resolve("out/nested");

        CliRun run = CliRun.of(args(ca(), "issue", "-d", name, "--http01-port",
                String.valueOf(pebble.server().http01Port()), "--out", out.toString(), "--key-type", "rsa-2048"));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(0);
        List<X509Certificate> leaf = certificates(out.resolve("cert.pem"));
        List<X509Certificate> chain = certificates(out.resolve("chain.pem"));
        KeyPair key = KeyFiles.read(out.resolve("key.pem"));
        assertThat(leaf).hasSize(1);
        assertThat(chain).hasSizeGreaterThanOrEqualTo(2);
        assertThat(chain.get(0)).isEqualTo(leaf.get(0));
        assertThat(leaf.get(0).getPublicKey()).isEqualTo(key.getPublic());
        assertThat(Demo.subjectNames(leaf.get(0))).containsExactly(name);
        assertThat(Files.getPosixFilePermissions(out.resolve("key.pem")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void issuingAgainIntoTheSameDirectoryReplacesCertificateChainAndKeyTogether() throws Exception {
        Path out = dir.resolve("renew");
        List<String> issue = args(ca(), "issue", "-d", name("renew"), "--http01-port",
                String.valueOf(pebble.server().http01Port()), "--out", out.toString());
        assertThat(CliRun.of(issue).exitCode).isEqualTo(0);
        X509Certificate first = certificates(out.resolve("cert.pem")).get(0);

        CliRun again = CliRun.of(issue);

        assertThat(again.exitCode).as(again.toString()).isEqualTo(0);
        X509Certificate second = certificates(out.resolve("cert.pem")).get(0);
        assertThat(second).isNotEqualTo(first);
        assertThat(second.getPublicKey()).isEqualTo(KeyFiles.read(out.resolve("key.pem")).getPublic());
        assertThat(certificates(out.resolve("chain.pem")).get(0)).isEqualTo(second);
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("cert.pem", "chain.pem", "key.pem", OutputFiles.METADATA,
                            OutputFiles.CURRENT, OutputFiles.ARCHIVE);
        }
    }

    @Test
    void aRefusedIssuanceLeavesNoKeyBehind() throws Exception {
        Path out = dir.resolve("refused");

        CliRun run = CliRun.of(args(ca(), "issue", "-d", "*." + name("refused"), "--http01-port",
                String.valueOf(pebble.server().http01Port()), "--out", out.toString()));

        assertThat(run.exitCode).as("the CA offers no http-01 for a wildcard").isEqualTo(Keyward.CA_ERROR);
        try (var files = Files.list(out)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void issueWithTheCallersKeyWritesNoKeyFileAndCertifiesThatKey() throws Exception {
        KeyPair given = KeyType.EC_P384.generate();
        Path keyFile = dir.resolve("given.pem");
        KeyFiles.write(keyFile, given);
        Path out = dir.resolve("out");

        CliRun run = CliRun.of(args(List.of("issue", "-d", name("given"), "--key", keyFile.toString(),
                "--http01-port", String.valueOf(pebble.server().http01Port()), "--out", out.toString()), ca().toArray(new String[0])));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(0);
        assertThat(out.resolve("key.pem")).doesNotExist();
        assertThat(certificates(out.resolve("cert.pem")).get(0).getPublicKey()).isEqualTo(given.getPublic());
    }

    @Test
    void issueOverDns01CertifiesAWildcardAndItsBaseName() throws Exception {
        String base = name("wild");
        Path out = dir.resolve("wild");

        CliRun run = CliRun.of(args(ca(), "issue", "-d", "*." + base, "-d", base, "--dns01-challtestsrv",
                pebble.server().dns().managementUri().toString(), "--out", out.toString()));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(0);
        assertThat(Demo.subjectNames(certificates(out.resolve("cert.pem")).get(0)))
                .containsExactlyInAnyOrder("*." + base, base);
    }

    @Test
    void aChallengeTheCaCannotValidateExitsWithOneNamingTheNameAndTheChallenge() throws Exception {
        int elsewhere;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            elsewhere = socket.getLocalPort();
        }
        String name = name("unvalidated");
        Path out = dir.resolve("unvalidated");

        CliRun run = CliRun.of(args(ca(), "issue", "-d", name, "--http01-port", String.valueOf(elsewhere),
                "--out", out.toString()));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.CA_ERROR);
        assertThat(run.errorLines()).singleElement().asString().contains("the CA refused").contains("http-01")
                .contains(name);
        assertThat(run.err).doesNotContain("\tat ");
        try (var files = Files.list(out)) {
            assertThat(files).as("no key is kept when no CSR was sent").isEmpty();
        }
    }

    @Test
    void aWildcardOverHttp01IsTheCasOfferExitingOneAndNamingDns01() {
        CliRun run = CliRun.of(args(ca(), "issue", "-d", "*." + name("nohttp"), "--http01-port",
                String.valueOf(pebble.server().http01Port()), "--out", dir.toString()));

        assertThat(run.exitCode).isEqualTo(Keyward.CA_ERROR);
        assertThat(run.errorLines()).hasSize(1).first().asString().contains("dns-01");
    }

    @Test
    void aContactTheCaRefusesExitsWithOneAndTheProblemOnOneLine() {
        CliRun run = CliRun.of(args(ca(), "account", "register", "--contact", "tel:+15555550100"));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.CA_ERROR);
        assertThat(run.errorLines()).hasSize(1).first().asString().contains("the CA refused").contains("Contact");
        assertThat(run.err).doesNotContain("\tat ");
    }

    @Test
    void anUnreachableCaExitsWithThreeWithoutAStackTrace() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        CliRun run = CliRun.of(List.of("--directory", "https://127.0.0.1:" + closedPort + "/dir", "--timeout", "2",
                "account", "register"));

        assertThat(run.exitCode).isEqualTo(Keyward.LOCAL_ERROR);
        assertThat(run.errorLines()).hasSize(1).first().asString().contains("cannot reach the CA");
        assertThat(run.err).as("a refused first connection is not retried").doesNotContain("Retrying");
        assertThat(run.err).doesNotContain("\tat ");
    }

    @Test
    void helpListsEveryCommandThoughACommandLineBuildsOnlyTheOneItNames() {
        CliRun help = CliRun.of(List.of("--help"));
        CliRun alone = CliRun.of(List.of());

        assertThat(help.exitCode).isZero();
        assertThat(help.out).contains("account", "issue", "authz", "revoke", "key", "ca", "renewal-info", "queue",
                "renew", "run", "demo");
        assertThat(alone.exitCode).isEqualTo(Keyward.USAGE);
        assertThat(alone.err).contains("needs a command: account, issue, authz, revoke, key, ca, renewal-info, queue,"
                + " renew, run, demo");
    }

    @Test
    void aCommandNameGivenAsAnOptionValueIsJudgedByTheWholeCommandLine() {
        CliRun run = CliRun.of(List.of("--account", "renew", "issue", "-d", "x.keyward.test"));

        assertThat(run.exitCode).isEqualTo(Keyward.USAGE);
        assertThat(run.errorLines()).hasSize(1).first().asString().contains("--account").contains("renew");
    }

    @Test
    void issueAgainstAPortNobodyListensOnFailsAtOnceOnOneLine() throws IOException {
        int closedPort;
        int http01Port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             ServerSocket other = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
            http01Port = other.getLocalPort();
        }

        CliRun run = CliRun.of(List.of("--directory", "https://127.0.0.1:" + closedPort + "/dir", "issue", "-d",
                "refused.keyward.test", "--http01-port", String.valueOf(http01Port), "--out",
                Files.createTempDirectory("keyward-refused").toString()));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.LOCAL_ERROR);
        assertThat(run.err).doesNotContain("Retrying").doesNotContain("\tat ");
        assertThat(run.errorLines()).hasSize(1).first().asString().contains("cannot reach the CA")
                .contains("refused");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(CliRun.of(List.of()).exitCode).isEqualTo(Keyward.USAGE);
        assertThat(CliRun.of(List.of("frobnicate")).exitCode).isEqualTo(Keyward.USAGE);
        assertThat(CliRun.of(List.of("--no-such-option", "demo")).exitCode).isEqualTo(Keyward.USAGE);
        assertThat(CliRun.of(args(ca(), "issue", "--out", dir.toString(), "--http01-port", "5002")).exitCode)
                .isEqualTo(Keyward.USAGE);
        assertThat(CliRun.of(args(ca(), "issue", "-d", "x.keyward.test", "--http01-port", "99999", "--out", "o")).exitCode)
                .isEqualTo(Keyward.USAGE);
        assertThat(CliRun.of(args(ca(), "issue", "-d", "x.keyward.test", "--key-type", "dsa", "--out", "o")).exitCode)
                .isEqualTo(Keyward.USAGE);
    }

    @Test
    void anUnreadableAccountKeyFileExitsWithThree() throws IOException {
        Path key = dir.resolve("garbage.pem");
        Files.writeString(key, "this is not a key");

        CliRun run = CliRun.of(args(ca(), "--account-key", key.toString(), "account", "register"));

        assertThat(run.exitCode).isEqualTo(Keyward.LOCAL_ERROR);
        assertThat(run.errorLines()).hasSize(1).first().asString().contains(key.toString());
    }

    @Test
    void trustTakesAPkcs12StoreAsWellAsPem() throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("pebble", pebble.server().trustAnchors().get(0));
        Path p12 = dir.resolve("trust.p12");
        try (java.io.OutputStream out = Files.newOutputStream(p12)) {
            store.store(out, new char[0]);
        }

        CliRun run = CliRun.of(List.of("--directory", pebble.server().directoryUri().toString(), "--trust",
                p12.toString(), "account", "register"));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.OK);
        assertThat(run.outLines().get(0)).contains("/my-account/");
    }

    @Test
    void anOutputDirectoryThatCannotBeCreatedExitsWithThreeBeforeAnythingIsIssued() throws IOException {
        Path blocker = dir.resolve("not-a-directory");
        Files.writeString(blocker, "a file where the output directory should be");

        CliRun run = CliRun.of(args(ca(), "issue", "-d", name("blocked"), "--http01-port",
                String.valueOf(pebble.server().http01Port()), "--out", blocker.resolve("out").toString()));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.LOCAL_ERROR);
        assertThat(run.errorLines()).singleElement().asString().contains(blocker.toString());
        assertThat(run.err).doesNotContain("terms of service");
    }

    @Test
    void demoIssuesForTwoNamesAgainstItsOwnPebbleAndPrintsWhatItGot() {
        CliRun run = CliRun.of(List.of("demo"));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(0);
        assertThat(run.out).contains("Names:    " + String.join(", ", Demo.NAMES))
                .contains("Issuer:   CN=Pebble Intermediate CA").contains("Valid:");
    }

    private static List<X509Certificate> certificates(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> out = new ArrayList<>();
            CertificateFactory.getInstance("X.509").generateCertificates(in).forEach(c -> out.add((X509Certificate) c));
            return out;
        }
    }
}
