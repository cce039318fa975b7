package dev.keyward.acme.kms.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.AcmeSigningException;
import dev.keyward.acme.kms.aws.KmsSigningException.Reason;
import dev.keyward.acme.testkit.KmsEmulator;
import dev.keyward.acme.testkit.KmsEmulator.ErrorType;
import dev.keyward.acme.testkit.KmsEmulator.KeySpec;
import dev.keyward.acme.testkit.KmsEmulator.KeyState;
import dev.keyward.acme.testkit.KmsEmulator.KeyUsage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What KMS refuses surfaces as a {@link KmsSigningException} (an {@link AcmeSigningException}) with
 * a reason and a message naming the key, at build time ({@code GetPublicKey}) and at signing time
 * ({@code Sign}); throttling is retried by the SDK's standard strategy, a bounded number of times.
 */
class KmsSignerErrorsTest {
    private static final byte[] DATA = "payload".getBytes(StandardCharsets.US_ASCII);

    private static KmsEmulator kms;
    private static KmsEmulator.Key p256;

    @BeforeAll
    static void start() {
        kms = KmsEmulator.start();
        p256 = kms.createKey(KeySpec.ECC_NIST_P256);
    }

    @AfterEach
    void clearFaults() {
        kms.clearFailures();
        kms.corruptSignatures(false);
    }

    @AfterAll
    static void stop() {
        kms.close();
    }

    @Test
    void anUnknownKeyIsNotFoundAndNamed() {
        String missing = "0f3c1fd2-9a5b-4bd6-8c8e-4f1c9e2b7a10";

        assertFails(() -> EmulatedKms.signer(kms, missing).build(), Reason.KEY_NOT_FOUND, missing);
    }

    @Test
    void anUnknownAliasIsNotFoundAndNamed() {
        assertFails(() -> EmulatedKms.signer(kms, "alias/nobody").build(), Reason.KEY_NOT_FOUND, "alias/nobody");
    }

    @Test
    void aDeniedKeyIsAccessDeniedWhenBuildingAndWhenSigning() throws Exception {
        KmsEmulator.Key key = kms.createKey(KeySpec.ECC_NIST_P256);
        try (KmsSigner signer = EmulatedKms.signer(kms, key.keyId()).build()) {
            kms.denyAccess(key, true);

            assertFails(() -> signer.sign(DATA), Reason.ACCESS_DENIED, key.keyId());
            assertFails(() -> EmulatedKms.signer(kms, key.arn()).build(), Reason.ACCESS_DENIED, key.arn());
            assertThatThrownBy(() -> signer.sign(DATA)).hasMessageContaining("kms:Sign");
        }
    }

    @Test
    void aDisabledKeyFailsAsDisabledAndWorksAgainOnceEnabled() throws Exception {
        KmsEmulator.Key key = kms.createKey(KeySpec.ECC_NIST_P256);
        try (KmsSigner signer = EmulatedKms.signer(kms, key.keyId()).build()) {
            kms.keyState(key, KeyState.DISABLED);
            assertFails(() -> signer.sign(DATA), Reason.KEY_DISABLED, key.keyId());

            kms.keyState(key, KeyState.ENABLED);
            assertThat(EmulatedKms.verifiesWithJca("SHA256withECDSA", signer.publicKey(), DATA, signer.sign(DATA))).isTrue();
        }
    }

    @Test
    void aKeyPendingDeletionIsInAnInvalidState() {
        KmsEmulator.Key key = kms.createKey(KeySpec.RSA_2048);
        kms.keyState(key, KeyState.PENDING_DELETION);

        assertFails(() -> EmulatedKms.signer(kms, key.keyId()).build(), Reason.KEY_INVALID_STATE, key.keyId());
    }

    @Test
    void anEncryptionKeyIsRefusedForItsKeyUsageBeforeAnySignRequest() {
        KmsEmulator.Key key = kms.createKey(KeySpec.RSA_2048, KeyUsage.ENCRYPT_DECRYPT);
        int signs = kms.requestCount("Sign");

        assertFails(() -> EmulatedKms.signer(kms, key.keyId()).build(), Reason.WRONG_KEY_USAGE, key.keyId());
        assertThat(kms.requestCount("Sign")).isEqualTo(signs);
    }

    @Test
    void anInvalidKeyUsageAnswerToSignIsAWrongKeyUsage() throws Exception {
        try (KmsSigner signer = EmulatedKms.signer(kms, p256.keyId()).build()) {
            kms.failNextRequests(ErrorType.INVALID_KEY_USAGE, 1);

            assertFails(() -> signer.sign(DATA), Reason.WRONG_KEY_USAGE, p256.keyId());
        }
    }

    @Test
    void aSymmetricKeyHasNoPublicKeyAndIsUnsupported() {
        KmsEmulator.Key key = kms.createKey(KeySpec.SYMMETRIC_DEFAULT, KeyUsage.ENCRYPT_DECRYPT);

        assertFails(() -> EmulatedKms.signer(kms, key.keyId()).build(), Reason.UNSUPPORTED_KEY_SPEC, key.keyId());
    }

    @Test
    void aSecp256k1KeyIsUnsupportedAndTheMessageListsWhatIs() {
        KmsEmulator.Key key = kms.createKey(KeySpec.ECC_SECG_P256K1);

        assertFails(() -> EmulatedKms.signer(kms, key.keyId()).build(), Reason.UNSUPPORTED_KEY_SPEC, key.keyId());
        assertThatThrownBy(() -> EmulatedKms.signer(kms, key.keyId()).build())
                .hasMessageContaining("ECC_SECG_P256K1").hasMessageContaining("ECC_NIST_P256");
    }

    @Test
    void aSignatureThatIsNotDerIsAnInvalidResponseNotABadJws() throws Exception {
        try (KmsSigner signer = EmulatedKms.signer(kms, p256.keyId()).build()) {
            kms.corruptSignatures(true);

            assertFails(() -> signer.sign(DATA), Reason.INVALID_RESPONSE, p256.keyId());
        }
    }

    @Test
    void throttlingIsRetriedAndThenSucceeds() throws Exception {
        try (KmsSigner signer = EmulatedKms.signer(kms, p256.keyId()).build()) {
            int before = kms.requestCount("Sign");
            kms.failNextRequests(ErrorType.THROTTLING, 2);

            byte[] signature = signer.sign(DATA);

            assertThat(EmulatedKms.verifiesWithJca("SHA256withECDSA", signer.publicKey(), DATA, signature)).isTrue();
            assertThat(kms.requestCount("Sign") - before).isEqualTo(3);
        }
    }

    @Test
    void throttlingThatNeverStopsGivesUpAfterTheDefaultAttempts() throws Exception {
        try (KmsSigner signer = EmulatedKms.signer(kms, p256.keyId()).build()) {
            int before = kms.requestCount("Sign");
            kms.failEveryRequest(ErrorType.THROTTLING);

            assertFails(() -> signer.sign(DATA), Reason.THROTTLED, p256.keyId());
            assertThat(kms.requestCount("Sign") - before).isEqualTo(KmsSigners.DEFAULT_MAX_ATTEMPTS);
        }
    }

    @Test
    void oneAttemptMeansThrottlingIsNotRetried() throws Exception {
        try (KmsSigner signer = EmulatedKms.signer(kms, p256.keyId()).maxAttempts(1).build()) {
            int before = kms.requestCount("Sign");
            kms.failNextRequests(ErrorType.THROTTLING, 1);

            assertFails(() -> signer.sign(DATA), Reason.THROTTLED, p256.keyId());
            assertThat(kms.requestCount("Sign") - before).isEqualTo(1);
        }
    }

    @Test
    void anInternalErrorIsRetriedThenReportedAsUnavailable() throws Exception {
        try (KmsSigner signer = EmulatedKms.signer(kms, p256.keyId()).maxAttempts(2).build()) {
            int before = kms.requestCount("Sign");
            kms.failEveryRequest(ErrorType.INTERNAL);

            assertFails(() -> signer.sign(DATA), Reason.KMS_UNAVAILABLE, p256.keyId());
            assertThat(kms.requestCount("Sign") - before).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @CsvSource({"NOT_FOUND, KEY_NOT_FOUND", "DISABLED, KEY_DISABLED", "ACCESS_DENIED, ACCESS_DENIED",
            "INVALID_STATE, KEY_INVALID_STATE", "INVALID_KEY_USAGE, WRONG_KEY_USAGE",
            "UNSUPPORTED_OPERATION, UNSUPPORTED_KEY_SPEC", "KEY_UNAVAILABLE, KMS_UNAVAILABLE",
            "VALIDATION, OTHER", "MISSING_AUTHENTICATION_TOKEN, ACCESS_DENIED"})
    void everyKmsErrorTypeMapsToItsReasonWhenSigning(ErrorType error, Reason reason) throws Exception {
        try (KmsSigner signer = EmulatedKms.signer(kms, p256.keyId()).maxAttempts(1).build()) {
            kms.failNextRequests(error, 1);

            assertFails(() -> signer.sign(DATA), reason, p256.keyId());
            assertThatThrownBy(() -> {
                kms.failNextRequests(error, 1);
                signer.sign(DATA);
            }).hasMessageContaining(error.code());
        }
    }

    @Test
    void anEndpointWhereNothingListensIsAClientFailureNamingTheKey() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        assertFails(() -> EmulatedKms.signer(kms, "alias/unreachable").maxAttempts(1)
                .endpointOverride(URI.create("http://127.0.0.1:" + closedPort)).build(),
                Reason.CLIENT_FAILURE, "alias/unreachable");
    }

    private static void assertFails(ThrowingCallable call, Reason reason, String keyId) {
        assertThatThrownBy(call)
                .isInstanceOf(AcmeSigningException.class)
                .isInstanceOfSatisfying(KmsSigningException.class, e -> {
                    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
                    assertThat(e.keyId()).isEqualTo(keyId);
                })
                .hasMessageContaining(keyId)
                .hasMessageNotContaining(EmulatedKms.SECRET_ACCESS_KEY);
    }
}
