package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import dev.keyward.acme.testkit.SoftHsmToken;
import dev.keyward.acme.testkit.SoftHsmToken.KeySpec;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The {@code keyward} command line with keys in a SoftHSM2 token, named by RFC 7512 URIs. */
class Pkcs11CliTest {
    @RegisterExtension
    static PebbleExtension pebble = new PebbleExtension();

    private static SoftHsmToken token;

    @TempDir
    Path dir;

    @BeforeAll
    static void createKeys() {
        token = SoftHsmToken.primary();
        token.key("cli-account", KeySpec.EC_P256);
        token.key("cli-certificate", KeySpec.RSA_2048);
        token.key("cli-rollover", KeySpec.EC_P384);
    }

    @Test
    void issueWithBothKeysInATokenCertifiesTheTokenKeyAndWritesNoKeyFile() throws Exception {
        Path pinFile = Files.writeString(dir.resolve("pin.txt"), token.pinText() + "\n", StandardCharsets.UTF_8);
        String accountKey = uri("cli-account") + "&pin-value=" + token.pinText();
        String certificateKey = uri("cli-certificate") + "&pin-source=file:" + pinFile;
        Path out = dir.resolve("out");

        CliRun issue = CliRun.of(args("--account-key", accountKey, "issue", "-d", name("hsm"), "--key", certificateKey,
                "--dns01-challtestsrv", pebble.server().dns().managementUri().toString(), "--out", out.toString()));
        CliRun register = CliRun.of(args("--account-key", accountKey, "account", "register"));

        assertThat(issue.exitCode).as(issue.toString()).isEqualTo(Keyward.OK);
        PublicKey tokenKey = token.key("cli-certificate", KeySpec.RSA_2048);
        assertThat(certificates(out.resolve("cert.pem")).get(0).getPublicKey()).isEqualTo(tokenKey);
        assertThat(certificates(out.resolve("chain.pem"))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(out.resolve("key.pem")).doesNotExist();
        assertThat(issue.out + issue.err).doesNotContain("pin-value=" + token.pinText());
        assertThat(register.exitCode).as(register.toString()).isEqualTo(Keyward.OK);
        assertThat(register.outLines().get(0)).contains("/my-account/");
    }

    @Test
    void theAccountKeyRollsOverFromAPemFileToTheTokenAndBack() throws Exception {
        Path pemKey = dir.resolve("account.pem");
        Path pinFile = Files.writeString(dir.resolve("pin"), token.pinText(), StandardCharsets.UTF_8);
        String tokenKey = uri("cli-rollover") + "&pin-source=" + pinFile;
        CliRun register = CliRun.of(args("--account-key", pemKey.toString(), "account", "register"));
        String accountUrl = register.outLines().get(0);

        CliRun toToken = CliRun.of(args("--account-key", pemKey.toString(), "account", "rollover", "--new-key", tokenKey));
        CliRun showWithToken = CliRun.of(args("--account-key", tokenKey, "account", "show"));
        CliRun back = CliRun.of(args("--account-key", tokenKey, "account", "rollover", "--new-key", pemKey.toString()));
        CliRun showWithPem = CliRun.of(args("--account-key", pemKey.toString(), "account", "show"));

        assertThat(register.exitCode).as(register.toString()).isEqualTo(Keyward.OK);
        assertThat(toToken.exitCode).as(toToken.toString()).isEqualTo(Keyward.OK);
        assertThat(showWithToken.outLines().get(0)).as(showWithToken.toString()).isEqualTo(accountUrl);
        assertThat(back.exitCode).as(back.toString()).isEqualTo(Keyward.OK);
        assertThat(showWithPem.outLines().get(0)).as(showWithPem.toString()).isEqualTo(accountUrl);
        assertThat(CliRun.of(args("--account-key", tokenKey, "account", "show")).exitCode)
                .as("the token key is refused once the account rolled back").isEqualTo(Keyward.CA_ERROR);
    }

    @Test
    void aWrongPinExitsWithThreeNamingTheTokenButNotThePin() {
        CliRun run = CliRun.of(args("--account-key", uri("cli-account") + "&pin-value=777777", "account", "register"));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.LOCAL_ERROR);
        assertThat(run.errorLines()).hasSize(1).first().asString()
                .contains("wrong PIN for token 'keyward-primary'")
                .doesNotContain("777777");
    }

    @Test
    void aKeyLabelTheTokenLacksExitsWithThreeNamingTheLabel() {
        CliRun run = CliRun.of(args("--account-key", uri("cli-nothing") + "&pin-value=" + token.pinText(),
                "account", "register"));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.LOCAL_ERROR);
        assertThat(run.errorLines()).hasSize(1).first().asString()
                .contains("no private key labelled 'cli-nothing'")
                .doesNotContain(token.pinText());
    }

    private static String uri(String object) {
        return "pkcs11:token=" + token.label() + ";object=" + object + "?module-path=" + token.library();
    }

    private static List<String> args(String... rest) {
        PebbleServer server = pebble.server();
        List<String> all = new ArrayList<>(List.of("--directory", server.directoryUri().toString(),
                "--trust", server.trustAnchorPemFile().toString()));
        all.addAll(List.of(rest));
        return all;
    }

    private static String name(String label) {
        return label + "-" + UUID.randomUUID().toString().substring(0, 8) + ".keyward.test";
    }

    private static List<X509Certificate> certificates(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> out = new ArrayList<>();
            CertificateFactory.getInstance("X.509").generateCertificates(in).forEach(c -> out.add((X509Certificate) c));
            return out;
        }
    }
}
