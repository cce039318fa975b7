package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Authorization;
import dev.keyward.acme.Order;
import dev.keyward.acme.Signers;
import dev.keyward.acme.Status;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.InputStream;
import java.net.URI;
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

/** The account lifecycle and compromise-response commands of the CLI, against a real Pebble. */
class AccountLifecycleCliTest {
    @RegisterExtension
    static PebbleExtension pebble = new PebbleExtension();

    @TempDir
    Path dir;

    private static List<String> with(String accountKey, String... rest) {
        PebbleServer server = pebble.server();
        List<String> all = new ArrayList<>(List.of("--directory", server.directoryUri().toString(),
                "--trust", server.trustAnchorPemFile().toString()));
        if (accountKey != null) {
            all.addAll(List.of("--account-key", accountKey));
        }
        all.addAll(List.of(rest));
        return all;
    }

    private static String name(String label) {
        return label + "-" + UUID.randomUUID().toString().substring(0, 8) + ".keyward.test";
    }

    private CliRun ok(List<String> args) {
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.OK);
        return run;
    }

    /** Registers an account for a new key file and issues one certificate; returns the out dir. */
    private Path issueWith(Path key, String... extra) {
        Path out = dir.resolve("out-" + UUID.randomUUID());
        List<String> args = with(key.toString(), "issue", "-d", name("cli"), "--http01-port",
                String.valueOf(pebble.server().http01Port()), "--out", out.toString());
        args.addAll(List.of(extra));
        ok(args);
        return out;
    }

    private static AcmeClient client() {
        return AcmeClient.builder(pebble.server().directoryUri()).trustAnchors(pebble.server().trustAnchors()).build();
    }

    private static AcmeSigner signer(Path keyFile) throws Exception {
        KeyPair pair = KeyFiles.read(keyFile);
        return Signers.jca(pair.getPrivate(), pair.getPublic());
    }

    private static X509Certificate leaf(Path out) throws Exception {
        try (InputStream in = Files.newInputStream(out.resolve("cert.pem"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void accountShowPrintsTheUrlFirstThenStatusAndContacts() {
        Path key = dir.resolve("acct.pem");
        String url = ok(with(key.toString(), "account", "register", "--contact", "mailto:ops@keyward.test")).outLines().get(0);

        CliRun show = ok(with(key.toString(), "account", "show"));

        assertThat(show.outLines().get(0)).isEqualTo(url);
        assertThat(show.out).contains("status: valid").contains("contacts: mailto:ops@keyward.test");
    }

    @Test
    void commandsOnAnAccountRefuseAMissingKeyFile() {
        CliRun noOption = CliRun.of(with(null, "account", "show"));
        CliRun noFile = CliRun.of(with(dir.resolve("absent.pem").toString(), "account", "show"));

        assertThat(noOption.exitCode).isEqualTo(Keyward.USAGE);
        assertThat(noFile.exitCode).isEqualTo(Keyward.LOCAL_ERROR);
        assertThat(dir.resolve("absent.pem")).doesNotExist();
    }

    @Test
    void rolloverLeavesBothKeyFilesAsTheyAreAndOnlyTheNewKeyWorksAfterwards() throws Exception {
        Path oldKey = dir.resolve("old.pem");
        Path newKey = dir.resolve("new.pem");
        String url = ok(with(oldKey.toString(), "account", "register")).outLines().get(0);
        byte[] oldBytes = Files.readAllBytes(oldKey);

        CliRun rollover = ok(with(oldKey.toString(), "account", "rollover", "--new-key", newKey.toString()));

        assertThat(rollover.outLines().get(0)).isEqualTo(url);
        assertThat(Files.readAllBytes(oldKey)).isEqualTo(oldBytes);
        assertThat(newKey).exists();
        assertThat(CliRun.of(with(oldKey.toString(), "account", "show")).exitCode).isEqualTo(Keyward.CA_ERROR);
        assertThat(ok(with(newKey.toString(), "account", "show")).outLines().get(0)).isEqualTo(url);
    }

    @Test
    void accountOrdersPrintsOneLinePerOrderWithStatusAndIdentifiers() throws Exception {
        Path key = dir.resolve("orders.pem");
        Path out = issueWith(key);
        String issuedName = leaf(out).getSubjectAlternativeNames().iterator().next().get(1).toString();

        CliRun orders = ok(with(key.toString(), "account", "orders"));

        assertThat(orders.outLines()).singleElement().satisfies(line -> {
            assertThat(line).startsWith("https://").contains(" valid ").endsWith(issuedName);
        });
    }

    @Test
    void authzDeactivateAllValidDeactivatesTheAuthorizationsOfIssuedOrders() throws Exception {
        Path key = dir.resolve("authz.pem");
        issueWith(key);

        CliRun run = ok(with(key.toString(), "authz", "deactivate", "--all-valid"));

        assertThat(run.outLines()).singleElement().asString().contains(" deactivated ");
        URI authz = URI.create(run.outLines().get(0).split(" ")[0]);
        try (AcmeClient client = client()) {
            assertThat(client.findAccount(signer(key)).fetchAuthorization(authz).status()).isEqualTo(Status.DEACTIVATED);
        }
    }

    @Test
    void issueCanDeactivateTheOrdersAuthorizationsOnceTheCertificateIsDownloaded() throws Exception {
        Path key = dir.resolve("habit.pem");
        issueWith(key, "--deactivate-authorizations");

        // Pebble 2.10 makes an order invalid once one of its authorizations is deactivated, and an
        // account's orders list leaves invalid orders out (RFC 8555 section 7.1.2.1), so the order
        // issued with the option is gone from the list, while one issued without it stays, valid.
        try (AcmeClient client = client()) {
            Account account = client.findAccount(signer(key));
            assertThat(account.fetchOrderUrls()).isEmpty();
            issueWith(key);
            List<URI> listed = account.fetchOrderUrls();
            assertThat(listed).hasSize(1);
            Order kept = account.fetchOrder(listed.get(0));
            assertThat(kept.status()).isEqualTo(Status.VALID);
            List<Authorization> authorizations = kept.fetchAuthorizations();
            assertThat(authorizations).isNotEmpty().allSatisfy(a -> assertThat(a.status()).isEqualTo(Status.VALID));
        }
    }

    @Test
    void anEphemeralAccountIsDeactivatedOnceTheCertificateIsDownloaded() {
        Path out = dir.resolve("ephemeral");

        CliRun run = ok(with(null, "issue", "-d", name("eph"), "--ephemeral-account", "--http01-port",
                String.valueOf(pebble.server().http01Port()), "--out", out.toString()));

        assertThat(out.resolve("cert.pem")).exists();
        assertThat(run.err).contains("Deactivated the ephemeral account https://");
        assertThat(dir.toFile().list()).containsExactly("ephemeral");
    }

    @Test
    void revokeWithTheAccountKeyThenAgainGivesAlreadyRevoked() throws Exception {
        Path key = dir.resolve("rev.pem");
        Path out = issueWith(key);

        CliRun first = ok(with(key.toString(), "revoke", "--cert", out.resolve("cert.pem").toString(), "--reason", "4"));
        CliRun second = CliRun.of(with(key.toString(), "revoke", "--cert", out.resolve("cert.pem").toString()));

        assertThat(first.out).contains("reason 4");
        assertThat(pebble.server().isRevoked(leaf(out).getSerialNumber())).isTrue();
        assertThat(second.exitCode).isEqualTo(Keyward.CA_ERROR);
        assertThat(second.errorLines()).singleElement().asString().contains("alreadyRevoked");
    }

    @Test
    void revokeWithTheCertificateKeyNeedsNoAccountKey() throws Exception {
        Path out = issueWith(dir.resolve("owner.pem"));

        ok(with(null, "revoke", "--cert", out.resolve("cert.pem").toString(), "--cert-key",
                out.resolve("key.pem").toString(), "--reason", "keyCompromise"));

        assertThat(pebble.server().certificateStatus(leaf(out).getSerialNumber())).contains("\"Reason\": 1");
    }

    @Test
    void aReasonThatRfc5280DoesNotDefineIsAUsageError() {
        CliRun run = CliRun.of(with(null, "revoke", "--cert", "x.pem", "--reason", "7"));

        assertThat(run.exitCode).isEqualTo(Keyward.USAGE);
        assertThat(run.errorLines()).singleElement().asString().contains("reason");
    }

    @Test
    void containWithDeactivateRevokesDeactivatesAndARerunCannotVouchForRevocationsAnyMore() throws Exception {
        Path key = dir.resolve("stolen.pem");
        Path out = issueWith(key);

        CliRun first = ok(with(key.toString(), "account", "contain", "--revoke-certificates", "--deactivate"));
        CliRun second = CliRun.of(with(key.toString(), "account", "contain", "--revoke-certificates", "--deactivate"));
        CliRun third = ok(with(key.toString(), "account", "contain", "--deactivate"));

        assertThat(first.out).contains("DONE AUTHORIZATION_DEACTIVATION").contains("DONE CERTIFICATE_REVOCATION")
                .contains("DONE ACCOUNT_DEACTIVATION");
        assertThat(first.err).contains("Containment complete.");
        assertThat(pebble.server().isRevoked(leaf(out).getSerialNumber())).isTrue();
        // The deactivated account is refused (unauthorized): that proves the deactivation, never the
        // revocations, which it can no longer check.
        assertThat(second.exitCode).as(second.toString()).isEqualTo(Keyward.CA_ERROR);
        assertThat(second.out).contains("ALREADY_DONE ACCOUNT_DEACTIVATION").contains("UNKNOWN CERTIFICATE_REVOCATION");
        assertThat(second.err).contains("keyward revoke --cert FILE --cert-key KEYFILE")
                .doesNotContain("Containment complete.");
        assertThat(third.out).contains("ALREADY_DONE ACCOUNT_DEACTIVATION");
        assertThat(third.err).contains("Containment complete.");
        CliRun refused = CliRun.of(with(key.toString(), "issue", "-d", name("after"), "--http01-port",
                String.valueOf(pebble.server().http01Port()), "--out", dir.resolve("after").toString()));
        assertThat(refused.exitCode).isEqualTo(Keyward.CA_ERROR);
    }

    @Test
    void containWithRolloverIsSafeToRunAgain() throws Exception {
        Path key = dir.resolve("leaked.pem");
        Path fresh = dir.resolve("fresh.pem");
        issueWith(key);

        CliRun first = ok(with(key.toString(), "account", "contain", "--rollover-to", fresh.toString()));
        CliRun second = ok(with(key.toString(), "account", "contain", "--rollover-to", fresh.toString()));

        assertThat(first.out).contains("DONE KEY_ROLLOVER");
        List<String> deactivated = first.outLines().stream()
                .filter(line -> line.startsWith("DONE AUTHORIZATION_DEACTIVATION ")).toList();
        assertThat(deactivated).hasSize(1);
        // Pebble 2.10 leaves the order out of the orders list once its authorization is deactivated
        // (it is invalid then; RFC 8555 section 7.1.2.1), so the second run finds nothing left to do.
        assertThat(second.out).contains("ALREADY_DONE KEY_ROLLOVER").contains("DONE ORDERS_LIST")
                .doesNotContain("AUTHORIZATION_DEACTIVATION").doesNotContain("FAILED");
        URI authz = URI.create(deactivated.get(0).split(" ")[2].replaceAll(":$", ""));
        try (AcmeClient client = client()) {
            assertThat(client.findAccount(signer(fresh)).fetchAuthorization(authz).status()).isEqualTo(Status.DEACTIVATED);
        }
    }

    @Test
    void containNeedsExactlyOneEnding() {
        assertThat(CliRun.of(with("k.pem", "account", "contain")).exitCode).isEqualTo(Keyward.USAGE);
        assertThat(CliRun.of(with("k.pem", "account", "contain", "--deactivate", "--rollover-to", "n.pem")).exitCode)
                .isEqualTo(Keyward.USAGE);
    }
}
