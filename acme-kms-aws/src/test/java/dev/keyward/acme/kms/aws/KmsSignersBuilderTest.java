package dev.keyward.acme.kms.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.testkit.KmsEmulator;
import dev.keyward.acme.testkit.KmsEmulator.KeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/** The builder's contract: validation, the caller's own client, aliases pinned to one key, toString. */
class KmsSignersBuilderTest {
    private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);

    private static KmsEmulator kms;

    @BeforeAll
    static void start() {
        kms = KmsEmulator.start();
    }

    @AfterAll
    static void stop() {
        kms.close();
    }

    @Test
    void aKeyIdIsRequired() {
        assertThatThrownBy(() -> KmsSigners.builder().region(Region.US_EAST_1).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("keyId");
    }

    @Test
    void blankOrSpacedKeyIdsAndAnEmptyAliasAreRefusedAtOnce() {
        assertThatThrownBy(() -> KmsSigners.builder().keyId(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KmsSigners.builder().keyId("alias/my key")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KmsSigners.builder().keyId("alias/")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void maxAttemptsMustBeBetweenOneAndTheLimit() {
        assertThatThrownBy(() -> KmsSigners.builder().maxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KmsSigners.builder().maxAttempts(KmsSigners.MAX_ATTEMPTS_LIMIT + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(KmsSigners.builder().maxAttempts(KmsSigners.MAX_ATTEMPTS_LIMIT)).isNotNull();
    }

    @Test
    void anEndpointMustBeAnAbsoluteHttpUri() {
        assertThatThrownBy(() -> KmsSigners.builder().endpointOverride(URI.create("kms.example")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KmsSigners.builder().endpointOverride(URI.create("ftp://127.0.0.1/")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCallersClientExcludesTheSettingsOfTheSignersOwnClient() {
        try (KmsClient client = EmulatedKms.client(kms)) {
            assertThatThrownBy(() -> KmsSigners.builder().keyId("alias/x").kmsClient(client).region(Region.EU_WEST_1).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not both");
            assertThatThrownBy(() -> KmsSigners.builder().keyId("alias/x").kmsClient(client).maxAttempts(2).build())
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aCallersClientSignsAndStaysOpenAfterTheSignerCloses() throws Exception {
        KmsEmulator.Key key = kms.createKey(KeySpec.ECC_NIST_P384);
        try (KmsClient client = EmulatedKms.client(kms)) {
            KmsSigner signer = KmsSigners.builder().keyId(key.keyId()).kmsClient(client).build();
            byte[] signature = signer.sign(DATA);
            signer.close();

            assertThat(EmulatedKms.verifiesWithJca("SHA384withECDSA", key.publicKey().orElseThrow(), DATA, signature)).isTrue();
            assertThat(client.getPublicKey(r -> r.keyId(key.arn())).keyId()).isEqualTo(key.arn());
            assertThatThrownBy(() -> signer.sign(DATA)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
    }

    @Test
    void anAliasIsResolvedOnceSoMovingItDoesNotChangeTheSigningKey() throws Exception {
        KmsEmulator.Key first = kms.createKey(KeySpec.ECC_NIST_P256);
        KmsEmulator.Key second = kms.createKey(KeySpec.ECC_NIST_P256);
        kms.createAlias("alias/moving", first);
        try (KmsSigner signer = EmulatedKms.signer(kms, "alias/moving").build()) {
            kms.createAlias("alias/moving", second);

            byte[] signature = signer.sign(DATA);

            assertThat(signer.keyId()).isEqualTo("alias/moving");
            assertThat(signer.keyArn()).isEqualTo(first.arn());
            assertThat(signer.publicKey()).isEqualTo(first.publicKey().orElseThrow());
            assertThat(EmulatedKms.verifiesWithJca("SHA256withECDSA", first.publicKey().orElseThrow(), DATA, signature)).isTrue();
        }
    }

    @Test
    void aKeyArnNamesTheRegionOfTheSignersOwnClient() throws Exception {
        KmsEmulator.Key key = kms.createKey(KeySpec.ECC_NIST_P256);

        try (KmsSigner signer = KmsSigners.builder().keyId(key.arn()).endpointOverride(kms.endpoint())
                .credentialsProvider(EmulatedKms.CREDENTIALS).build()) {
            assertThat(signer.keyArn()).isEqualTo(key.arn());
        }
        assertThat(KmsClients.arnRegion(key.arn())).hasValue(Region.of(kms.region()));
        assertThat(KmsClients.arnRegion("arn:aws-cn:kms:cn-north-1:111122223333:alias/acme")).hasValue(Region.CN_NORTH_1);
        assertThat(KmsClients.arnRegion("alias/acme")).isEmpty();
        assertThat(KmsClients.arnRegion(key.keyId())).isEmpty();
    }

    @Test
    void toStringNamesTheKeyAndAlgorithmButNeverTheCredentials() throws Exception {
        KmsEmulator.Key key = kms.createKey(KeySpec.RSA_2048);
        try (KmsSigner signer = EmulatedKms.signer(kms, key.keyId()).build()) {
            assertThat(signer.toString())
                    .contains(key.keyId()).contains(key.arn()).contains("RS256")
                    .doesNotContain(EmulatedKms.ACCESS_KEY_ID).doesNotContain(EmulatedKms.SECRET_ACCESS_KEY);
        }
    }

    @Test
    void closingTwiceIsHarmless() throws Exception {
        KmsSigner signer = EmulatedKms.signer(kms, kms.createKey(KeySpec.ECC_NIST_P256).keyId()).build();

        signer.close();
        signer.close();

        assertThatThrownBy(() -> signer.sign(DATA)).isInstanceOf(IllegalStateException.class);
    }
}
