package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.testkit.KmsEmulator;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kms:KEY} for {@code --account-key} and {@code --key}, against a real Pebble and the test
 * kit's KMS emulator. The CLI finds region, credentials and endpoint as the AWS SDK always does; this
 * in-JVM test gives them as the SDK's system properties ({@code aws.region}, {@code aws.accessKeyId},
 * {@code aws.secretAccessKey}, {@code aws.endpointUrlKms}, the property twin of
 * {@code AWS_ENDPOINT_URL_KMS}) and turns the instance-metadata lookup off, so nothing leaves loopback.
 */
class KmsKeysCliTest {
    @RegisterExtension
    static PebbleExtension pebble = new PebbleExtension();

    private static final Map<String, String> SDK_PROPERTIES = new HashMap<>();
    private static final Map<String, String> saved = new HashMap<>();
    private static KmsEmulator kms;

    @TempDir
    Path dir;

    @BeforeAll
    static void pointTheSdkAtTheEmulator() {
        kms = KmsEmulator.start();
        SDK_PROPERTIES.put("aws.region", kms.region());
        SDK_PROPERTIES.put("aws.accessKeyId", "AKIAKEYWARDCLITEST00");
        SDK_PROPERTIES.put("aws.secretAccessKey", "keyward-cli-test-secret");
        SDK_PROPERTIES.put("aws.endpointUrlKms", kms.endpoint().toString());
        SDK_PROPERTIES.put("aws.disableEc2Metadata", "true");
        SDK_PROPERTIES.forEach((name, value) -> {
            saved.put(name, System.getProperty(name));
            System.setProperty(name, value);
        });
    }

    @AfterAll
    static void restore() {
        saved.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
        kms.close();
    }

    private static List<String> ca(String... rest) {
        PebbleServer server = pebble.server();
        List<String> all = new ArrayList<>(List.of("--directory", server.directoryUri().toString(),
                "--trust", server.trustAnchorPemFile().toString()));
        all.addAll(List.of(rest));
        return all;
    }

    @Test
    void issueWithBothKeysInKmsCertifiesTheKmsKeyAndWritesNoKeyFile() throws Exception {
        KmsEmulator.Key accountKey = kms.createKey(KmsEmulator.KeySpec.ECC_NIST_P256);
        KmsEmulator.Key certificateKey = kms.createKey(KmsEmulator.KeySpec.ECC_NIST_P384);
        kms.createAlias("alias/cli-account", accountKey);
        String name = "kms-" + UUID.randomUUID().toString().substring(0, 8) + ".keyward.test";
        Path out = dir.resolve("out");

        CliRun run = CliRun.of(ca("--account-key", "kms:alias/cli-account", "issue", "-d", name,
                "--key", "kms:" + certificateKey.arn(),
                "--http01-port", String.valueOf(pebble.server().http01Port()), "--out", out.toString()));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(0);
        X509Certificate leaf = certificates(out.resolve("cert.pem")).get(0);
        assertThat(leaf.getPublicKey()).isEqualTo(certificateKey.publicKey().orElseThrow());
        assertThat(out.resolve("key.pem")).doesNotExist();
        assertThat(run.outLines()).noneMatch(line -> line.endsWith("key.pem"));
        assertThat(kms.requests()).filteredOn(r -> r.operation().equals("Sign"))
                .extracting(r -> r.member("KeyId").orElseThrow())
                .contains(accountKey.arn(), certificateKey.arn());
    }

    @Test
    void accountRegisterWithAKmsKeyFindsTheSameAccountTheSecondTime() {
        KmsEmulator.Key key = kms.createKey(KmsEmulator.KeySpec.RSA_2048);

        CliRun first = CliRun.of(ca("--account-key", "kms:" + key.keyId(), "account", "register"));
        CliRun second = CliRun.of(ca("account", "register", "--account-key", "kms:" + key.keyId()));

        assertThat(first.exitCode).as(first.toString()).isEqualTo(0);
        assertThat(second.exitCode).as(second.toString()).isEqualTo(0);
        assertThat(second.outLines().get(0)).isEqualTo(first.outLines().get(0)).contains("/my-account/");
    }

    @Test
    void aKmsKeyThatDoesNotExistExitsWithThreeNamingTheKey() {
        CliRun run = CliRun.of(ca("--account-key", "kms:alias/no-such-key", "account", "register"));

        assertThat(run.exitCode).isEqualTo(Keyward.LOCAL_ERROR);
        assertThat(run.errorLines()).hasSize(1).first().asString()
                .contains("alias/no-such-key").contains("not found");
        assertThat(run.err).doesNotContain("keyward-cli-test-secret").doesNotContain("\tat ");
    }

    @Test
    void aDisabledKmsCertificateKeyExitsWithThreeNamingTheKey() {
        KmsEmulator.Key key = kms.createKey(KmsEmulator.KeySpec.ECC_NIST_P256);
        kms.keyState(key, KmsEmulator.KeyState.DISABLED);

        CliRun run = CliRun.of(ca("issue", "-d", "disabled.keyward.test", "--key", "kms:" + key.keyId(),
                "--http01-port", String.valueOf(pebble.server().http01Port()), "--out", dir.toString()));

        assertThat(run.exitCode).isEqualTo(Keyward.LOCAL_ERROR);
        assertThat(run.errorLines()).hasSize(1).first().asString().contains(key.keyId()).contains("disabled");
    }

    @Test
    void kmsSpecsTakeKeyIdsArnsAndAliasesAndRefuseAnEmptyKey() throws Exception {
        assertThat(KmsKeySpec.isKms("kms:alias/acme")).isTrue();
        assertThat(KmsKeySpec.isKms("account.pem")).isFalse();
        assertThat(KmsKeySpec.parse("kms:alias/acme").keyId()).isEqualTo("alias/acme");
        assertThat(KmsKeySpec.parse("kms:arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab").keyId())
                .isEqualTo("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
        assertThat(KmsKeySpec.parse("kms:1234abcd-12ab-34cd-56ef-1234567890ab").keyId())
                .isEqualTo("1234abcd-12ab-34cd-56ef-1234567890ab");
        assertThatThrownBy(() -> KmsKeySpec.parse("kms:")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("kms:alias/NAME");
        assertThatThrownBy(() -> KmsKeySpec.parse("kms:alias/with space")).isInstanceOf(ConfigException.class);
    }

    private static List<X509Certificate> certificates(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> list = new ArrayList<>();
            CertificateFactory.getInstance("X.509").generateCertificates(in).forEach(c -> list.add((X509Certificate) c));
            return list;
        }
    }
}
