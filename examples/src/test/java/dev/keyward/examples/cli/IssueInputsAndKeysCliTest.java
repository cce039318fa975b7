package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CLI against Pebble: a new key per certificate unless {@code --reuse-key}; inputs checked
 * before the first request (nothing reaches Pebble); a pending record for other names discarded;
 * {@code account register --contact} updating an existing account; {@code authz deactivate}
 * refusing a URL off the CA's origin before signing.
 */
class IssueInputsAndKeysCliTest {
    @RegisterExtension
    static PebbleExtension pebble = new PebbleExtension();

    @TempDir
    Path dir;

    private static List<String> ca(String... rest) {
        PebbleServer server = pebble.server();
        List<String> all = new ArrayList<>(List.of("--directory", server.directoryUri().toString(),
                "--trust", server.trustAnchorPemFile().toString()));
        all.addAll(List.of(rest));
        return all;
    }

    private List<String> issue(Path out, String... more) {
        List<String> all = ca("--account-key", dir.resolve("account.pem").toString(), "issue",
                "--http01-port", String.valueOf(pebble.server().http01Port()), "--out", out.toString());
        all.addAll(List.of(more));
        return all;
    }

    private static String name(String label) {
        return label + "-" + UUID.randomUUID().toString().substring(0, 8) + ".keyward.test";
    }

    private static long pebbleLogSize() throws IOException {
        return Files.size(pebble.server().workDirectory().resolve("pebble.log"));
    }

    @Test
    void withoutReuseKeyEveryCertificateGetsANewKeyAndTheOldOneStaysInItsVersion() throws Exception {
        Path out = dir.resolve("out");
        String name = name("newkey");
        assertThat(CliRun.of(issue(out, "-d", name)).exitCode).isZero();
        KeyPair first = KeyFiles.read(out.resolve("key.pem"));

        CliRun again = CliRun.of(issue(out, "-d", name));

        assertThat(again.exitCode).as(again.toString()).isZero();
        KeyPair second = KeyFiles.read(out.resolve("key.pem"));
        assertThat(second.getPublic()).isNotEqualTo(first.getPublic());
        OutputFilesTest.assertCertificateAndKeyAgree(out);
        assertThat(KeyFiles.read(out.resolve(".archive/1/key.pem")).getPublic()).isEqualTo(first.getPublic());
        assertThat(again.err).doesNotContain("Reusing the key");
    }

    @Test
    void withReuseKeyTheCurrentKeyIsCertifiedAgainAndStderrSaysSo() throws Exception {
        Path out = dir.resolve("out");
        String name = name("reuse");
        assertThat(CliRun.of(issue(out, "-d", name)).exitCode).isZero();
        KeyPair first = KeyFiles.read(out.resolve("key.pem"));
        X509Certificate firstCert = CertificateFiles.leaf(out.resolve("cert.pem"), "test");

        CliRun again = CliRun.of(issue(out, "-d", name, "--reuse-key"));

        assertThat(again.exitCode).as(again.toString()).isZero();
        assertThat(again.err).contains("Reusing the key of " + out.resolve("key.pem") + " (--reuse-key)");
        assertThat(CertificateFiles.leaf(out.resolve("cert.pem"), "test")).isNotEqualTo(firstCert);
        assertThat(KeyFiles.read(out.resolve("key.pem")).getPublic()).isEqualTo(first.getPublic());
        OutputFilesTest.assertCertificateAndKeyAgree(out);
    }

    @Test
    void aRefusedIssuanceLeavesNoRecordAndNoTemporaryFile() throws Exception {
        Path out = dir.resolve("refused");

        CliRun run = CliRun.of(issue(out, "-d", "*." + name("refused")));

        assertThat(run.exitCode).as("the CA offers no http-01 for a wildcard").isEqualTo(Keyward.CA_ERROR);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aPendingRecordForOtherNamesIsDiscardedWithANotice() throws Exception {
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve(".pending"));
        Files.writeString(out.resolve(".pending/order.properties"), "directory=" + pebble.server().directoryUri()
                + "\nidentifiers=dns:other.keyward.test\nkey=00\norder=" + pebble.server().directoryUri() + "/x\n");

        CliRun run = CliRun.of(issue(out, "-d", name("fresh")));

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.err).contains("Discarding the interrupted issuance").contains("dns:other.keyward.test");
        assertThat(out.resolve(".pending")).doesNotExist();
        OutputFilesTest.assertCertificateAndKeyAgree(out);
    }

    @Test
    void aCertificateKeyThatIsTheAccountKeyIsRefusedBeforeAnyRequest() throws Exception {
        Path account = dir.resolve("account.pem");
        KeyFiles.write(account, KeyType.EC_P256.generate());
        Files.createDirectories(dir.resolve("sub"));
        long before = pebbleLogSize();

        CliRun run = CliRun.of(ca("--account-key", account.toString(), "issue", "-d", name("same"),
                "--http01-port", String.valueOf(pebble.server().http01Port()), "--out", dir.resolve("out").toString(),
                "--key", dir.resolve("sub/../account.pem").toString()));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.USAGE);
        assertThat(run.errorLines()).singleElement().asString().contains("--key names the same key as --account-key")
                .doesNotContain("Exception");
        assertThat(pebbleLogSize()).as("no request reached Pebble").isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-foo", "a..keyward.test", "under_score.keyward.test", "a.*.keyward.test", "*x.keyward.test",
            "bad-.keyward.test", "x234567890123456789012345678901234567890123456789012345678901234.keyward.test",
            "1.2.3.4"})
    void aNameThatIsNotADnsNameIsAUsageErrorBeforeAnyRequest(String bad) throws Exception {
        long before = pebbleLogSize();

        CliRun run = CliRun.of(issue(dir.resolve("out"), "-d", bad));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.USAGE);
        assertThat(run.errorLines()).singleElement().asString().doesNotContain("Exception");
        assertThat(pebbleLogSize()).as("no request reached Pebble").isEqualTo(before);
        assertThat(dir.resolve("account.pem")).as("no account key created").doesNotExist();
    }

    @Test
    void accountRegisterWithAContactUpdatesAnExistingAccount() {
        String key = dir.resolve("account.pem").toString();
        CliRun first = CliRun.of(ca("--account-key", key, "account", "register", "--contact", "mailto:old@keyward.test"));
        assertThat(first.exitCode).as(first.toString()).isZero();

        CliRun again = CliRun.of(ca("--account-key", key, "account", "register", "--contact", "mailto:new@keyward.test"));
        CliRun show = CliRun.of(ca("--account-key", key, "account", "show"));

        assertThat(again.exitCode).as(again.toString()).isZero();
        assertThat(again.outLines().get(0)).isEqualTo(first.outLines().get(0));
        assertThat(again.err).contains("Updated the contacts").contains("contacts: mailto:new@keyward.test");
        assertThat(show.out).contains("contacts: mailto:new@keyward.test").doesNotContain("old@");
    }

    @Test
    void authzDeactivateRefusesAUrlOffTheCasOriginBeforeSigningAnything() throws Exception {
        String key = dir.resolve("account.pem").toString();
        assertThat(CliRun.of(ca("--account-key", key, "account", "register")).exitCode).isZero();
        int port = pebble.server().directoryUri().getPort();
        long before = pebbleLogSize();

        for (String foreign : List.of("https://evil.keyward.test:" + port + "/authz/1", "https://127.0.0.1:1/authz/1",
                "http://127.0.0.1:" + port + "/authz/1")) {
            CliRun run = CliRun.of(ca("--account-key", key, "authz", "deactivate", foreign));

            assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.USAGE);
            assertThat(run.errorLines()).singleElement().asString().contains("not on the CA's origin")
                    .doesNotContain("Exception");
        }
        assertThat(pebbleLogSize()).as("nothing was signed or sent").isEqualTo(before);
    }
}
