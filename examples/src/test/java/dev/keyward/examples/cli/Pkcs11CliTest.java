package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import dev.keyward.acme.testkit.SoftHsmToken;
import dev.keyward.acme.pkcs11.Pkcs11KeyProtection;
import dev.keyward.acme.pkcs11.Pkcs11KeyStore;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code keyward} command line with keys in a SoftHSM2 token, generated there by
 * {@code keyward key generate} and named by RFC 7512 URIs ({@code object=} is the private key's
 * label); key options that look like URIs but are not understood never become file names.
 */
class Pkcs11CliTest {
    @RegisterExtension
    static PebbleExtension pebble = new PebbleExtension();

    private static SoftHsmToken token;
    private static final Map<String, PublicKey> KEYS = new HashMap<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void createKeys() throws Exception {
        token = SoftHsmToken.primary();
        generate("cli-account", "ec-p256");
        generate("cli-certificate", "rsa-2048");
        generate("cli-rollover", "ec-p384");
        generate("cli-capitals", "ec-p256");
    }

    /** {@code keyward key generate}, then the public key read back through the library. */
    private static void generate(String label, String type) throws Exception {
        CliRun run = CliRun.of(List.of("key", "generate", uri(label) + "&pin-value=" + token.pinText(), "--type", type));
        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.OK);
        try (Pkcs11KeyStore store = Pkcs11KeyStore.builder().library(token.library()).tokenLabel(token.label())
                .pin(token.pin()).open()) {
            KEYS.put(label, store.signer(label).publicKey());
        }
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
        PublicKey tokenKey = KEYS.get("cli-certificate");
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

    @Test
    void keyGenerateMakesAKeyInTheTokenThatNeverLeavesItAndPrintsItsUriWithoutThePin() throws Exception {
        String label = "cli-generated-" + UUID.randomUUID().toString().substring(0, 8);

        CliRun run = CliRun.of(List.of("key", "generate", uri(label) + "&pin-value=" + token.pinText(),
                "--type", "rsa-3072"));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.OK);
        assertThat(run.outLines()).hasSize(1).first().asString()
                .startsWith("pkcs11:token=keyward-primary;object=" + label + ";id=")
                .endsWith("?module-path=" + token.library().toRealPath());
        assertThat(run.err).contains("not extractable (CKA_EXTRACTABLE)").contains("rsa-3072");
        assertThat(run.out + run.err).doesNotContain(token.pinText());
        try (Pkcs11KeyStore store = Pkcs11KeyStore.builder().library(token.library()).tokenLabel(token.label())
                .pin(token.pin()).open()) {
            Pkcs11KeyProtection protection = store.keyProtection(label);
            assertThat(protection.staysInToken()).isTrue();
            assertThat(protection.local()).isTrue();
        }
        String printed = run.outLines().get(0) + "&pin-value=" + token.pinText();
        CliRun register = CliRun.of(args("--account-key", printed, "account", "register"));
        assertThat(register.exitCode).as("the printed URI names the key: " + register).isEqualTo(Keyward.OK);
        CliRun again = CliRun.of(List.of("key", "generate", uri(label) + "&pin-value=" + token.pinText()));
        assertThat(again.exitCode).as(again.toString()).isEqualTo(Keyward.LOCAL_ERROR);
        assertThat(again.err).contains("exists already");
    }

    @Test
    void aPkcs11UriInCapitalsReachesTheTokenKeyAndCreatesNoFile() throws Exception {
        String upper = "PKCS11:" + uri("cli-account").substring("pkcs11:".length()) + "&pin-value=" + token.pinText();
        String otherCase = "Pkcs11:" + uri("cli-capitals").substring("pkcs11:".length()) + "&pin-value="
                + token.pinText();
        Path pem = dir.resolve("pem-account.pem");
        CliRun register = CliRun.of(args("--account-key", upper, "account", "register"));
        CliRun pemRegister = CliRun.of(args("--account-key", pem.toString(), "account", "register"));

        CliRun rollover = CliRun.of(args("--account-key", pem.toString(), "account", "rollover", "--new-key",
                otherCase));
        CliRun showWithToken = CliRun.of(args("--account-key", otherCase, "account", "show"));

        assertThat(register.exitCode).as(register.toString()).isEqualTo(Keyward.OK);
        assertThat(rollover.exitCode).as(rollover.toString()).isEqualTo(Keyward.OK);
        assertThat(showWithToken.outLines().get(0)).isEqualTo(pemRegister.outLines().get(0));
        assertThat(Files.exists(Path.of(upper))).isFalse();
        assertThat(Files.exists(Path.of(otherCase))).isFalse();
        assertThat(register.out + register.err + rollover.out + rollover.err).doesNotContain(token.pinText());
    }

    @Test
    void aKeyOptionThatLooksLikeAnUnknownUriIsAUsageErrorAndCreatesNoKey() throws Exception {
        String pkcs12 = "PKCS12:token=" + token.label() + ";object=cli-account?pin-value=" + token.pinText();
        Path pem = dir.resolve("rollover-from.pem");
        CliRun pemRegister = CliRun.of(args("--account-key", pem.toString(), "account", "register"));

        CliRun register = CliRun.of(args("--account-key", pkcs12, "account", "register"));
        CliRun rollover = CliRun.of(args("--account-key", pem.toString(), "account", "rollover", "--new-key", pkcs12));

        assertThat(pemRegister.exitCode).isEqualTo(Keyward.OK);
        assertThat(register.exitCode).as(register.toString()).isEqualTo(Keyward.USAGE);
        assertThat(rollover.exitCode).as(rollover.toString()).isEqualTo(Keyward.USAGE);
        assertThat(register.err).contains("not a PKCS12: URI");
        assertThat(Files.exists(Path.of(pkcs12))).isFalse();
        assertThat(register.out + register.err + rollover.out + rollover.err).doesNotContain(token.pinText());
    }

    @Test
    void aMalformedUriIsAUsageErrorThatNeverEchoesThePin() {
        String pin = token.pinText();
        for (String key : List.of(uri("cli-account") + "&" + pin, uri("cli-account") + "&pin-value=12&" + pin,
                "PKCS11:token=" + token.label() + ";object=cli-account?module-path=" + token.library() + "&" + pin)) {
            CliRun run = CliRun.of(args("--account-key", key, "account", "register"));

            assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.USAGE);
            assertThat(run.out + run.err).as(run.toString()).doesNotContain(pin);
            assertThat(Files.exists(Path.of(key))).isFalse();
        }
    }

    @Test
    void aTokenThatNeedsAPinAsksForItInUriTermsNotJava() {
        CliRun run = CliRun.of(args("--account-key", uri("cli-account"), "account", "register"));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.LOCAL_ERROR);
        assertThat(run.err).contains("add pin-source=file:PATH (or pin-value=PIN)").doesNotContain("pinCallback")
                .doesNotContain("char[]");
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
