package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.RenewalInfo;
import dev.keyward.acme.RevocationReason;
import dev.keyward.acme.Signers;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleProfile;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keyward renew --config FILE} against Pebble 2.10 with ARI: the README's minimal config issues,
 * then says "not due" and orders nothing, then renews with {@code replaces} once the window moved;
 * {@code --dry-run} orders nothing; a revoked certificate is replaced.
 */
class RenewConfigCliTest {
    private static final Pattern REQUEST = Pattern.compile("\\b(GET|HEAD|POST) (/\\S*) -> calling handler");

    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder().server(PebbleServer.builder()
            .authorizationReusePercent(0).nonceRejectPercent(0)
            .profiles(Map.of("shortlived", new PebbleProfile("Six days", Duration.ofDays(6))))).build();

    @TempDir
    Path dir;

    /** The README's minimal form, with this Pebble's URL, trust anchor and http-01 port. */
    private Path minimalConfig(String set, String... domains) throws IOException {
        PebbleServer server = pebble.server();
        String text = "directory: " + server.directoryUri() + "\n"
                + "trust: [" + server.trustAnchorPemFile() + "]          # extra trust anchors for the CA's TLS\n"
                + "account-key: " + dir.resolve("account.pem") + " # created if absent, like the CLI's --account-key\n"
                + "certificates:\n"
                + "  - name: " + set + "\n"
                + "    domains: [" + String.join(", ", domains) + "]\n"
                + "    out: " + dir.resolve(set) + "             # cert.pem, chain.pem, key.pem as `keyward issue` writes them\n"
                + "    http01-port: " + server.http01Port() + "             # or dns01-challtestsrv: URL, or tlsalpn01-port: PORT\n"
                + "    profile: shortlived           # optional\n";
        Path file = dir.resolve("keyward.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void renewIssuesThenIsNotDueThenRenewsWithReplacesOnceTheWindowHasStartedAndDryRunOrdersNothing() throws Exception {
        Path config = minimalConfig("web", name("a"), name("b"));
        Path out = dir.resolve("web");

        long mark = logSize();
        CliRun first = renew(config);
        assertThat(first.exitCode).as(first.toString()).isZero();
        assertThat(first.outLines()).singleElement().asString().startsWith("web: issued, valid until ");
        X509Certificate issued = leaf(out.resolve("cert.pem"));
        assertThat(certificates(out.resolve("chain.pem"))).hasSizeGreaterThanOrEqualTo(2).first().isEqualTo(issued);
        assertThat(KeyFiles.read(out.resolve("key.pem")).getPublic()).isEqualTo(issued.getPublicKey());
        assertThat(Duration.between(issued.getNotBefore().toInstant(), issued.getNotAfter().toInstant()))
                .as("the shortlived profile").isLessThanOrEqualTo(Duration.ofDays(7));
        assertThat(Files.exists(dir.resolve("account.pem"))).as("account key created").isTrue();
        assertThat(Files.isDirectory(dir.resolve("keyward-state/certificates/web"))).as("state next to the config").isTrue();
        System.out.println("[figure] requests of a first issuance: " + requestsSince(mark));

        mark = logSize();
        CliRun second = renew(config);
        assertThat(second.exitCode).as(second.toString()).isZero();
        assertThat(second.outLines()).singleElement().asString()
                .startsWith("web: not due until ").endsWith("(the CA's renewal window)");
        Instant dueAt = Instant.parse(second.outLines().get(0).split(" ")[4]);
        assertThat(dueAt).isAfter(Instant.now()).isBefore(issued.getNotAfter().toInstant());
        List<String> notDue = requestsSince(mark);
        assertThat(notDue).noneMatch(r -> r.contains("order-plz") || r.contains("new-acct"))
                .anyMatch(r -> r.startsWith("GET /draft-ietf-acme-ari-03/renewalInfo/"));
        assertThat(leaf(out.resolve("cert.pem"))).isEqualTo(issued);

        Instant now = Instant.now();
        pebble.server().setRenewalInfo(issued, "{\"suggestedWindow\":{\"start\":\"" + now.minus(Duration.ofHours(1))
                + "\",\"end\":\"" + now.plus(Duration.ofHours(1)) + "\"}}");
        mark = logSize();
        CliRun dryRun = renew(config, "--dry-run");
        assertThat(dryRun.exitCode).as(dryRun.toString()).isZero();
        assertThat(dryRun.outLines()).containsExactly("web: would renew (ari window started)");
        assertThat(requestsSince(mark)).noneMatch(r -> r.contains("order-plz"));
        assertThat(leaf(out.resolve("cert.pem"))).isEqualTo(issued);

        mark = logSize();
        CliRun third = renew(config);
        assertThat(third.exitCode).as(third.toString()).isZero();
        assertThat(third.outLines()).singleElement().asString().startsWith("web: renewed (ari window started), valid until ");
        X509Certificate renewed = leaf(out.resolve("cert.pem"));
        assertThat(renewed.getSerialNumber()).isNotEqualTo(issued.getSerialNumber());
        assertThat(KeyFiles.read(out.resolve("key.pem")).getPublic()).isEqualTo(renewed.getPublicKey());
        List<String> renewal = requestsSince(mark);
        assertThat(renewal.stream().filter(r -> r.equals("POST /order-plz"))).hasSize(1);
        System.out.println("[figure] requests of a renewal run (" + renewal.size() + "): " + renewal);
        assertThat(logSince(mark)).containsPattern("ARI: order \"\\S+\" is a replacement of");
        assertThat(replacesOfTheAccountsOrders(dir.resolve("account.pem")))
                .as("the account's orders: the first issuance, then the renewal replacing it")
                .containsExactlyInAnyOrder("(none)", RenewalInfo.certificateId(issued));
    }

    @Test
    void aRevokedCertificateIsReplacedByTheNextRenew() throws Exception {
        Path config = minimalConfig("api", name("api"));
        Path out = dir.resolve("api");
        CliRun first = renew(config);
        assertThat(first.exitCode).as(first.toString()).isZero();
        X509Certificate issued = leaf(out.resolve("cert.pem"));
        KeyPair accountKey = KeyFiles.read(dir.resolve("account.pem"));
        try (AcmeClient client = AcmeClient.builder(pebble.server().directoryUri())
                .trustAnchors(pebble.server().trustAnchors()).build()) {
            Account account = client.findAccount(Signers.jca(accountKey.getPrivate(), accountKey.getPublic()));
            account.revoke(issued, RevocationReason.KEY_COMPROMISE);
        }
        assertThat(pebble.server().isRevoked(issued.getSerialNumber())).isTrue();

        CliRun second = renew(config);
        assertThat(second.exitCode).as(second.toString()).isZero();
        assertThat(second.outLines()).singleElement().asString().startsWith("api: renewed (");
        X509Certificate renewed = leaf(out.resolve("cert.pem"));
        assertThat(renewed.getSerialNumber()).isNotEqualTo(issued.getSerialNumber());
        assertThat(pebble.server().isRevoked(renewed.getSerialNumber())).isFalse();
    }

    @Test
    void aCaConfiguredWithANamedAccountIssuesUnderThatAccount() throws Exception {
        PebbleServer server = pebble.server();
        Path accounts = dir.resolve("accounts");
        CliRun registered = CliRun.of(List.of("--directory", server.directoryUri().toString(), "--trust",
                server.trustAnchorPemFile().toString(), "--accounts-dir", accounts.toString(), "--account", "prod",
                "account", "register"));
        assertThat(registered.exitCode).as(registered.toString()).isZero();
        String accountUrl = registered.outLines().get(0);
        Path config = dir.resolve("named.yaml");
        Files.writeString(config, "directory: " + server.directoryUri() + "\n"
                + "trust: [" + server.trustAnchorPemFile() + "]\n"
                + "account: prod                    # the CLI's --account prod\n"
                + "certificates:\n"
                + "  - name: named\n"
                + "    domains: [" + name("named") + "]\n"
                + "    out: " + dir.resolve("named") + "\n"
                + "    http01-port: " + server.http01Port() + "\n"
                + "    profile: shortlived\n");

        long mark = logSize();
        CliRun run = CliRun.of(List.of("--accounts-dir", accounts.toString(), "renew", "--config", config.toString()));

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.outLines()).singleElement().asString().startsWith("named: issued, valid until ");
        assertThat(replacesOfTheAccountsOrders(accounts.resolve("prod").resolve("key.pem")))
                .as("the order was made by the named account").containsExactly("(none)");
        assertThat(Files.isDirectory(dir.resolve("keyward-state/accounts/prod"))).as("kept under its name").isTrue();
        String accountPath = java.net.URI.create(accountUrl).getPath();
        assertThat(logSince(mark)).as("Pebble validated for the registered account").contains(accountPath + "\"");
    }

    @Test
    void aNamedAccountThatDoesNotExistOrComesWithAnAccountKeyIsAConfigError() throws Exception {
        PebbleServer server = pebble.server();
        Path accounts = dir.resolve("accounts");
        String base = "directory: " + server.directoryUri() + "\n"
                + "trust: [" + server.trustAnchorPemFile() + "]\n"
                + "certificates:\n"
                + "  - name: x\n"
                + "    domains: [" + name("x") + "]\n"
                + "    out: " + dir.resolve("x") + "\n"
                + "    http01-port: " + server.http01Port() + "\n";
        Path missing = dir.resolve("missing.yaml");
        Files.writeString(missing, "account: nobody\n" + base);
        Path both = dir.resolve("both.yaml");
        Files.writeString(both, "account: prod\naccount-key: " + dir.resolve("k.pem") + "\n" + base);

        CliRun noAccount = CliRun.of(List.of("--accounts-dir", accounts.toString(), "renew", "--config",
                missing.toString()));
        CliRun twoAccounts = CliRun.of(List.of("renew", "--config", both.toString()));

        assertThat(noAccount.exitCode).as(noAccount.toString()).isEqualTo(Keyward.USAGE);
        assertThat(noAccount.err).contains("account: no account named nobody in " + accounts);
        assertThat(twoAccounts.exitCode).as(twoAccounts.toString()).isEqualTo(Keyward.USAGE);
        assertThat(twoAccounts.err).contains("account: give account").contains("not both");
    }

    private static CliRun renew(Path config, String... more) {
        List<String> args = new ArrayList<>(List.of("renew", "--config", config.toString()));
        args.addAll(List.of(more));
        return CliRun.of(args);
    }

    static String name(String label) {
        return label + "-" + UUID.randomUUID().toString().substring(0, 8) + ".keyward.test";
    }

    /** The {@code replaces} of each order of the account, as the CA has them. */
    static List<String> replacesOfTheAccountsOrders(Path accountKey) throws Exception {
        KeyPair pair = KeyFiles.read(accountKey);
        try (AcmeClient client = AcmeClient.builder(pebble.server().directoryUri())
                .trustAnchors(pebble.server().trustAnchors()).build()) {
            Account account = client.findAccount(Signers.jca(pair.getPrivate(), pair.getPublic()));
            List<String> out = new ArrayList<>();
            for (URI order : account.fetchOrderUrls()) {
                out.add(account.fetchOrder(order).replaces().orElse("(none)"));
            }
            return out;
        }
    }

    static X509Certificate leaf(Path pem) throws Exception {
        return certificates(pem).get(0);
    }

    static List<X509Certificate> certificates(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> out = new ArrayList<>();
            CertificateFactory.getInstance("X.509").generateCertificates(in).forEach(c -> out.add((X509Certificate) c));
            return out;
        }
    }

    private static long logSize() throws IOException {
        return Files.size(pebble.server().workDirectory().resolve("pebble.log"));
    }

    private static String logSince(long mark) throws IOException {
        try (InputStream in = Files.newInputStream(pebble.server().workDirectory().resolve("pebble.log"))) {
            in.skipNBytes(mark);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> requestsSince(long mark) throws IOException {
        List<String> out = new ArrayList<>();
        Matcher m = REQUEST.matcher(logSince(mark));
        while (m.find()) {
            out.add(m.group(1) + " " + m.group(2));
        }
        return out;
    }
}
