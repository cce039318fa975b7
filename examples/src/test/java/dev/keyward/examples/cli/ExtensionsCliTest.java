package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.RenewalInfo;
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
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code issue}, {@code ca info} and {@code renewal-info} expose of the 2026 extensions, against
 * Pebble 2.10: profiles, renewal information and {@code replaces}, IP identifiers, tls-alpn-01,
 * dns-account-01, dns-persist-01, and alternate chains.
 */
class ExtensionsCliTest {
    private static final Duration SHORT = Duration.ofDays(6);
    private static final Pattern REQUEST = Pattern.compile("\\b(GET|HEAD|POST) (/\\S*) -> calling handler");
    private static final Pattern ORDER_REPLACES = Pattern.compile("Order (\\S+) replaces (\\S+)");

    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder().server(PebbleServer.builder()
            .authorizationReusePercent(0)
            .alternateRoots(1)
            .profiles(Map.of("default", new PebbleProfile("The profile you know and love", Duration.ofDays(90)),
                    "shortlived", new PebbleProfile("Six days", SHORT)))).build();

    @TempDir
    Path dir;

    private static List<String> ca(String... rest) {
        PebbleServer server = pebble.server();
        List<String> all = new ArrayList<>(List.of("--directory", server.directoryUri().toString(),
                "--trust", server.trustAnchorPemFile().toString()));
        all.addAll(List.of(rest));
        return all;
    }

    private static String http() {
        return String.valueOf(pebble.server().http01Port());
    }

    private static String name(String label) {
        return label + "-" + UUID.randomUUID().toString().substring(0, 8) + ".keyward.test";
    }

    private static CliRun ok(List<String> args) {
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.OK);
        return run;
    }

    @Test
    void aShortlivedProfileGivesTheProfilesLifetime() throws Exception {
        Path out = dir.resolve("short");
        long mark = Files.size(pebbleLog());

        ok(ca("--account-key", dir.resolve("fresh.pem").toString(), "issue", "-d", name("short"),
                "--profile", "shortlived", "--http01-port", http(), "--out", out.toString()));

        List<String> requests = requestsSince(mark);
        X509Certificate leaf = leaf(out.resolve("cert.pem"));
        Duration lifetime = Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
        assertThat(lifetime).isBetween(SHORT.minusMinutes(1), SHORT.plusMinutes(1));
        System.out.println("issue --profile shortlived, fresh account: " + requests.size() + " requests " + requests);
        // Ten requests when Pebble is done by the first polls (the authorization's goes out at once);
        // one more per poll that still found the authorization pending or the order processing.
        assertThat(String.join(", ", requests)).as("directory, newNonce, newAccount, newOrder, authz, challenge,"
                + " authz polls, finalize, order polls, certificate").matches("GET /dir, HEAD /nonce-plz,"
                + " POST /sign-me-up, POST /order-plz, POST /authZ/, POST /chalZ/, (POST /authZ/, )+"
                + "POST /finalize-order/, (POST /my-order/, )+POST /certZ/");
    }

    @Test
    void aProfileTheCaDoesNotListExitsWithOneNamingTheOfferedOnesAndSendsNoOrder() throws Exception {
        long mark = Files.size(pebbleLog());

        CliRun run = CliRun.of(ca("--account-key", dir.resolve("a.pem").toString(), "issue", "-d", name("none"),
                "--profile", "forever", "--http01-port", http(), "--out", dir.resolve("none").toString()));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.CA_ERROR);
        assertThat(run.errorLines()).singleElement().asString().contains("'forever'").contains("default")
                .contains("shortlived");
        assertThat(requestsSince(mark)).noneMatch(r -> r.contains("order-plz"));
    }

    @Test
    void issuingAgainIntoTheSameOutReplacesTheCertificateTheCaIssuedThere() throws Exception {
        Path key = dir.resolve("account.pem");
        Path out = dir.resolve("renew");
        List<String> issue = ca("--account-key", key.toString(), "issue", "-d", name("renew"), "--profile",
                "shortlived", "--http01-port", http(), "--out", out.toString());
        CliRun first = ok(issue);
        X509Certificate firstLeaf = leaf(out.resolve("cert.pem"));
        assertThat(first.err).doesNotContain("replaces");
        assertThat(Files.readString(out.resolve(OutputFiles.METADATA)))
                .contains("directory=" + pebble.server().directoryUri())
                .contains("certificate=" + RenewalInfo.certificateId(firstLeaf));

        CliRun second = ok(issue);

        URI order = replacingOrder(second, RenewalInfo.certificateId(firstLeaf));
        assertThat(fetchReplaces(key, order)).isEqualTo(RenewalInfo.certificateId(firstLeaf));
        assertThat(leaf(out.resolve("cert.pem")).getSerialNumber()).isNotEqualTo(firstLeaf.getSerialNumber());

        // A record naming another CA: no replaces.
        Path meta = out.resolve(OutputFiles.METADATA);
        Files.writeString(meta, Files.readString(meta).replace("directory=https://", "directory=https://other."));
        CliRun third = ok(issue);
        assertThat(third.err).doesNotContain("replaces").doesNotContain("Replacing");
    }

    @Test
    void replacesTakesTheCertificateFile() throws Exception {
        Path key = dir.resolve("account.pem");
        String name = name("explicit");
        ok(ca("--account-key", key.toString(), "issue", "-d", name, "--http01-port", http(), "--out",
                dir.resolve("one").toString(), "--profile", "default"));
        X509Certificate old = leaf(dir.resolve("one/cert.pem"));

        CliRun run = ok(ca("--account-key", key.toString(), "issue", "-d", name, "--http01-port", http(), "--out",
                dir.resolve("two").toString(), "--replaces", dir.resolve("one/cert.pem").toString(),
                "--profile", "default"));

        URI order = replacingOrder(run, RenewalInfo.certificateId(old));
        assertThat(fetchReplaces(key, order)).isEqualTo(RenewalInfo.certificateId(old));
    }

    @Test
    void anIpAddressIsCertifiedOverHttp01AndOverTlsAlpn01() throws Exception {
        String alpnPort = String.valueOf(pebble.server().tlsAlpnPort());
        ok(ca("issue", "--ip", "127.0.0.1", "--http01-port", http(), "--out", dir.resolve("http").toString(),
                "--profile", "default"));
        ok(ca("issue", "--ip", "127.0.0.1", "-d", name("alpn"), "--challenge", "tls-alpn-01",
                "--tlsalpn01-port", alpnPort, "--out", dir.resolve("alpn").toString(), "--profile", "default"));
        ok(ca("issue", "--ip", "127.0.0.1", "--tlsalpn01-port", alpnPort,
                "--out", dir.resolve("alpn-only").toString(), "--profile", "default"));

        assertThat(ipAddresses(leaf(dir.resolve("http/cert.pem")))).containsExactly("127.0.0.1");
        assertThat(ipAddresses(leaf(dir.resolve("alpn/cert.pem")))).containsExactly("127.0.0.1");
        assertThat(ipAddresses(leaf(dir.resolve("alpn-only/cert.pem")))).containsExactly("127.0.0.1");
    }

    @Test
    void dnsAccount01AndDnsPersist01ProveNamesThroughTheChallengeTestServer() throws Exception {
        String dns = pebble.server().dns().managementUri().toString();
        String account = name("acct");
        String persist = name("persist");

        ok(ca("issue", "-d", account, "-d", "*." + account, "--challenge", "dns-account-01",
                "--dns01-challtestsrv", dns, "--out", dir.resolve("acct").toString(), "--profile", "default"));
        ok(ca("issue", "-d", "*." + persist, "--challenge", "dns-persist-01",
                "--dns01-challtestsrv", dns, "--out", dir.resolve("persist").toString(), "--profile", "default"));

        assertThat(Demo.subjectNames(leaf(dir.resolve("acct/cert.pem")))).containsExactlyInAnyOrder(account,
                "*." + account);
        assertThat(Demo.subjectNames(leaf(dir.resolve("persist/cert.pem")))).containsExactly("*." + persist);
    }

    @Test
    void severalChallengeTypesTakeTheirOptionsTogetherInOrderOfPreference() throws Exception {
        String base = name("both");

        // http-01 first for the name; only dns-01 can prove the wildcard.
        ok(ca("issue", "-d", base, "-d", "*." + base, "--challenge", "http-01", "--challenge", "dns-01",
                "--http01-port", http(), "--dns01-challtestsrv", pebble.server().dns().managementUri().toString(),
                "--out", dir.resolve("both").toString(), "--profile", "default"));

        assertThat(Demo.subjectNames(leaf(dir.resolve("both/cert.pem")))).containsExactlyInAnyOrder(base, "*." + base);
    }

    @Test
    void aWildcardTheChosenChallengeCannotProveIsTheCasOfferExit1NamingTheOfferedTypes() {
        String base = name("wild");

        CliRun run = CliRun.of(ca("issue", "-d", "*." + base, "--http01-port", http(),
                "--out", dir.resolve("wild").toString(), "--profile", "default"));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(1);
        assertThat(run.err).contains("no solver can prove *." + base).contains("dns-01").contains("[http-01]")
                .doesNotContain("Exception");
        assertThat(dir.resolve("wild").resolve("cert.pem")).doesNotExist();
    }

    @Test
    void aChallengeWithoutWhatItNeedsIsAUsageErrorBeforeAnyRequest() {
        List<String> noCa = List.of("--directory", "https://127.0.0.1:1/dir", "--timeout", "1");
        List<List<String>> lines = List.of(
                List.of("issue", "-d", "x.keyward.test", "--challenge", "tls-alpn-01", "--out", dir.toString()),
                List.of("issue", "-d", "x.keyward.test", "--challenge", "dns-account-01", "--http01-port", "5002",
                        "--out", dir.toString()),
                List.of("issue", "-d", "x.keyward.test", "--challenge", "http-01", "--challenge", "http-01",
                        "--http01-port", "5002", "--out", dir.toString()),
                List.of("issue", "-d", "x.keyward.test", "--challenge", "dns-02", "--out", dir.toString()),
                List.of("issue", "--ip", "300.1.1.1", "--http01-port", "5002", "--out", dir.toString()),
                List.of("issue", "-d", "x.keyward.test", "--challenge", "dns-01", "--http01-port", "5002",
                        "--dns01-challtestsrv", "http://127.0.0.1:1", "--out", dir.toString()),
                List.of("issue", "--http01-port", "5002", "--out", dir.toString()));
        List<String> expected = List.of("--tlsalpn01-port", "--dns01-challtestsrv", "twice", "dns-02", "300.1.1.1",
                "--http01-port", "--ip");
        for (int i = 0; i < lines.size(); i++) {
            List<String> args = new ArrayList<>(noCa);
            args.addAll(lines.get(i));
            CliRun run = CliRun.of(args);
            assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.USAGE);
            assertThat(run.errorLines()).as(run.toString()).singleElement().asString().contains(expected.get(i));
        }
    }

    @Test
    void aPreferredChainEndsAtThatRoot() throws Exception {
        List<X509Certificate> roots = pebble.server().rootCertificates();
        String alternate = commonName(roots.get(1));
        assertThat(alternate).isNotEqualTo(commonName(roots.get(0)));

        ok(ca("issue", "-d", name("chain"), "--preferred-chain", alternate, "--http01-port", http(),
                "--out", dir.resolve("alt").toString(), "--profile", "default"));
        ok(ca("issue", "-d", name("chain"), "--http01-port", http(), "--out", dir.resolve("default").toString(),
                "--profile", "default"));

        assertThat(topIssuer(dir.resolve("alt/chain.pem"))).isEqualTo(alternate);
        assertThat(topIssuer(dir.resolve("default/chain.pem"))).isEqualTo(commonName(roots.get(0)));
    }

    @Test
    void caInfoPrintsOneLinePerCapabilityAndJsonOnRequest() throws Exception {
        CliRun text = ok(ca("ca", "info"));
        CliRun json = ok(ca("ca", "info", "--json"));

        assertThat(text.outLines()).contains("newAuthz: no", "renewalInfo: yes", "keyChange: yes",
                "externalAccountRequired: no");
        assertThat(text.outLines()).filteredOn(l -> l.startsWith("profiles: ")).singleElement().asString()
                .contains("default (The profile you know and love)").contains("shortlived (Six days)");
        assertThat(json.outLines()).hasSize(1);
        JsonNode node = new ObjectMapper().readTree(json.out);
        assertThat(node.get("renewalInfo").asBoolean()).isTrue();
        assertThat(node.get("newAuthz").asBoolean()).isFalse();
        assertThat(node.get("profiles").get("shortlived").asText()).isEqualTo("Six days");
    }

    @Test
    void renewalInfoPrintsTheWindowAndARenewalTimeInsideIt() throws Exception {
        Path out = dir.resolve("ari");
        ok(ca("issue", "-d", name("ari"), "--profile", "shortlived", "--http01-port", http(), "--out", out.toString()));
        X509Certificate leaf = leaf(out.resolve("cert.pem"));

        CliRun run = ok(ca("renewal-info", "--cert", out.resolve("chain.pem").toString()));

        Map<String, String> lines = fields(run);
        Instant start = Instant.parse(lines.get("start"));
        Instant end = Instant.parse(lines.get("end"));
        Instant at = Instant.parse(lines.get("renew at"));
        assertThat(lines).doesNotContainKey("explanation");
        assertThat(end).isAfter(start).isBeforeOrEqualTo(leaf.getNotAfter().toInstant().plus(Duration.ofHours(25)));
        assertThat(at).isBetween(start, end);

        Instant now = Instant.now();
        pebble.server().setRenewalInfo(leaf, "{\"suggestedWindow\":{\"start\":\"" + now.minus(Duration.ofDays(2))
                + "\",\"end\":\"" + now.minus(Duration.ofDays(1)) + "\"},\"explanationURL\":\"https://ca.test/why\"}");
        Map<String, String> past = fields(ok(ca("renewal-info", "--cert", out.resolve("cert.pem").toString())));
        assertThat(past.get("explanation")).isEqualTo("https://ca.test/why");
        assertThat(Instant.parse(past.get("renew at"))).isAfterOrEqualTo(now.minusSeconds(1));
    }

    private static Map<String, String> fields(CliRun run) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String line : run.outLines()) {
            int colon = line.indexOf(": ");
            out.put(line.substring(0, colon), line.substring(colon + 2));
        }
        return out;
    }

    private static URI replacingOrder(CliRun run, String certificateId) {
        Matcher m = ORDER_REPLACES.matcher(run.err);
        assertThat(m.find()).as(run.toString()).isTrue();
        assertThat(m.group(2)).isEqualTo(certificateId);
        return URI.create(m.group(1));
    }

    /** The {@code replaces} of the order as the CA has it. */
    private static String fetchReplaces(Path accountKey, URI order) throws Exception {
        KeyPair pair = KeyFiles.read(accountKey);
        try (AcmeClient client = AcmeClient.builder(pebble.server().directoryUri())
                .trustAnchors(pebble.server().trustAnchors()).build()) {
            Account account = client.findAccount(Signers.jca(pair.getPrivate(), pair.getPublic()));
            return account.fetchOrder(order).replaces().orElse("(none)");
        }
    }

    private static List<String> ipAddresses(X509Certificate leaf) throws Exception {
        List<String> out = new ArrayList<>();
        for (List<?> san : leaf.getSubjectAlternativeNames()) {
            if ((Integer) san.get(0) == 7) {
                out.add((String) san.get(1));
            }
        }
        return out;
    }

    private static String topIssuer(Path chainPem) throws Exception {
        List<X509Certificate> chain = certificates(chainPem);
        return commonName(chain.get(chain.size() - 1).getIssuerX500Principal().getName());
    }

    private static String commonName(X509Certificate certificate) throws Exception {
        return commonName(certificate.getSubjectX500Principal().getName());
    }

    private static String commonName(String dn) throws Exception {
        for (Rdn rdn : new LdapName(dn).getRdns()) {
            if (rdn.getType().equalsIgnoreCase("CN")) {
                return rdn.getValue().toString();
            }
        }
        return dn;
    }

    private static X509Certificate leaf(Path pem) throws Exception {
        return certificates(pem).get(0);
    }

    private static List<X509Certificate> certificates(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> out = new ArrayList<>();
            CertificateFactory.getInstance("X.509").generateCertificates(in).forEach(c -> out.add((X509Certificate) c));
            return out;
        }
    }

    private static Path pebbleLog() {
        return pebble.server().workDirectory().resolve("pebble.log");
    }

    private static List<String> requestsSince(long mark) throws IOException {
        String text;
        try (InputStream in = Files.newInputStream(pebbleLog())) {
            in.skipNBytes(mark);
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> out = new ArrayList<>();
        Matcher m = REQUEST.matcher(text);
        while (m.find()) {
            out.add(m.group(1) + " " + m.group(2));
        }
        return out;
    }
}
