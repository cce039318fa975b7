package dev.keyward.acme.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The KMS emulator on the wire, spoken to as the AWS SDK speaks to KMS (AWS JSON 1.1,
 * {@code X-Amz-Target: TrentService.*}), with the JDK's HTTP client: this module has no AWS SDK.
 */
class KmsEmulatorTest {
    private static final byte[] DATA = "to be signed".getBytes(StandardCharsets.US_ASCII);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static KmsEmulator kms;
    private static KmsEmulator.Key p256;
    private static KmsEmulator.Key rsa;

    @BeforeAll
    static void start() {
        kms = KmsEmulator.start("eu-central-1");
        p256 = kms.createKey(KmsEmulator.KeySpec.ECC_NIST_P256);
        rsa = kms.createKey(KmsEmulator.KeySpec.RSA_2048);
    }

    @AfterEach
    void clear() {
        kms.clearFailures();
    }

    @AfterAll
    static void stop() {
        kms.close();
    }

    @Test
    void itListensOnLoopbackAndNamesItsRegionAndAccountInArns() {
        assertThat(kms.endpoint().getHost()).isEqualTo("127.0.0.1");
        assertThat(p256.arn()).isEqualTo("arn:aws:kms:eu-central-1:" + KmsEmulator.ACCOUNT_ID + ":key/" + p256.keyId());
        assertThatThrownBy(() -> KmsEmulator.start("not a region")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void getPublicKeyAnswersTheKeyAsDerWithItsSpecUsageAndAlgorithms() throws Exception {
        Answer answer = call("GetPublicKey", Map.of("KeyId", p256.keyId()));

        assertThat(answer.status).isEqualTo(200);
        assertThat(answer.contentType).isEqualTo("application/x-amz-json-1.1");
        assertThat(answer.body).containsEntry("KeyId", p256.arn()).containsEntry("KeySpec", "ECC_NIST_P256")
                .containsEntry("KeyUsage", "SIGN_VERIFY").containsEntry("SigningAlgorithms", List.of("ECDSA_SHA_256"));
        PublicKey decoded = KeyFactory.getInstance("EC").generatePublic(
                new X509EncodedKeySpec(Base64.getDecoder().decode((String) answer.body.get("PublicKey"))));
        assertThat(decoded).isEqualTo(p256.publicKey().orElseThrow());
    }

    @Test
    void signOverADigestGivesADerEcdsaSignatureTheJdkVerifies() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(DATA);

        Answer answer = call("Sign", Map.of("KeyId", p256.arn(), "Message", b64(digest), "MessageType", "DIGEST",
                "SigningAlgorithm", "ECDSA_SHA_256"));

        byte[] signature = Base64.getDecoder().decode((String) answer.body.get("Signature"));
        assertThat(signature[0]).isEqualTo((byte) 0x30);
        assertThat(verify("SHA256withECDSA", p256, DATA, signature)).isTrue();
    }

    @Test
    void signOverARawMessageAndOverItsDigestGiveTheSameRsaSignature() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-384").digest(DATA);

        Answer raw = call("Sign", Map.of("KeyId", rsa.keyId(), "Message", b64(DATA),
                "SigningAlgorithm", "RSASSA_PKCS1_V1_5_SHA_384"));
        Answer overDigest = call("Sign", Map.of("KeyId", rsa.keyId(), "Message", b64(digest), "MessageType", "DIGEST",
                "SigningAlgorithm", "RSASSA_PKCS1_V1_5_SHA_384"));

        assertThat(raw.body.get("Signature")).isEqualTo(overDigest.body.get("Signature"));
        assertThat(verify("SHA384withRSA", rsa, DATA, Base64.getDecoder().decode((String) raw.body.get("Signature")))).isTrue();
    }

    @Test
    void anAliasAndAnAliasArnNameTheKeyTheyPointAt() throws Exception {
        String aliasArn = kms.createAlias("alias/emulator-test", p256);

        assertThat(call("GetPublicKey", Map.of("KeyId", "alias/emulator-test")).body).containsEntry("KeyId", p256.arn());
        assertThat(call("GetPublicKey", Map.of("KeyId", aliasArn)).body).containsEntry("KeyId", p256.arn());
        assertThatThrownBy(() -> kms.createAlias("alias/aws/kms", p256)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void errorsComeInTheAwsJsonShapeWithTheStatusKmsUses() throws Exception {
        Answer missing = call("GetPublicKey", Map.of("KeyId", "alias/missing"));
        Answer wrongAlgorithm = call("Sign", Map.of("KeyId", p256.keyId(), "Message", b64(DATA),
                "SigningAlgorithm", "ECDSA_SHA_384"));
        Answer shortDigest = call("Sign", Map.of("KeyId", p256.keyId(), "Message", b64(DATA), "MessageType", "DIGEST",
                "SigningAlgorithm", "ECDSA_SHA_256"));
        Answer unknown = call("Encrypt", Map.of("KeyId", p256.keyId()));

        assertThat(missing.status).isEqualTo(400);
        assertThat(missing.body).containsEntry("__type", "NotFoundException").containsKey("message");
        assertThat(wrongAlgorithm.body).containsEntry("__type", "InvalidKeyUsageException");
        assertThat(shortDigest.body).containsEntry("__type", "ValidationException");
        assertThat(unknown.body).containsEntry("__type", "UnknownOperationException");
    }

    @Test
    void keyStatesAndDeniedAccessAnswerAsKmsDoes() throws Exception {
        KmsEmulator.Key key = kms.createKey(KmsEmulator.KeySpec.ECC_NIST_P384);

        kms.keyState(key, KmsEmulator.KeyState.DISABLED);
        Answer disabled = call("GetPublicKey", Map.of("KeyId", key.keyId()));
        kms.keyState(key, KmsEmulator.KeyState.PENDING_DELETION);
        Answer pending = call("GetPublicKey", Map.of("KeyId", key.keyId()));
        kms.keyState(key, KmsEmulator.KeyState.ENABLED);
        kms.denyAccess(key, true);
        Answer denied = call("GetPublicKey", Map.of("KeyId", key.keyId()));
        kms.denyAccess(key, false);

        assertThat(disabled.body).containsEntry("__type", "DisabledException");
        assertThat(pending.body).containsEntry("__type", "KMSInvalidStateException");
        assertThat(denied.body).containsEntry("__type", "AccessDeniedException");
        assertThat(call("GetPublicKey", Map.of("KeyId", key.keyId())).status).isEqualTo(200);
    }

    @Test
    void injectedFailuresAnswerTheNextRequestsThenStop() throws Exception {
        kms.failNextRequests(KmsEmulator.ErrorType.THROTTLING, 2);

        Answer first = call("GetPublicKey", Map.of("KeyId", p256.keyId()));
        Answer second = call("GetPublicKey", Map.of("KeyId", p256.keyId()));
        Answer third = call("GetPublicKey", Map.of("KeyId", p256.keyId()));

        assertThat(first.body).containsEntry("__type", "ThrottlingException");
        assertThat(second.body).containsEntry("__type", "ThrottlingException");
        assertThat(third.status).isEqualTo(200);
    }

    @Test
    void anInternalFailureIsAFiveHundred() throws Exception {
        kms.failEveryRequest(KmsEmulator.ErrorType.INTERNAL);

        assertThat(call("GetPublicKey", Map.of("KeyId", p256.keyId())).status).isEqualTo(500);
        assertThat(call("Sign", Map.of("KeyId", p256.keyId())).status).isEqualTo(500);
    }

    @Test
    void aRequestWithoutAnAuthorizationHeaderIsRefused() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(kms.endpoint())
                .header("X-Amz-Target", "TrentService.GetPublicKey")
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"KeyId\":\"" + p256.keyId() + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(JsonDocuments.parseObject(response.body())).containsEntry("__type", "MissingAuthenticationTokenException");
    }

    @Test
    void everyRequestIsRecordedWithItsStringMembers() throws Exception {
        int before = kms.requestCount("Sign");

        call("Sign", Map.of("KeyId", "alias/recorded", "Message", b64(DATA), "SigningAlgorithm", "ECDSA_SHA_256"));

        assertThat(kms.requestCount("Sign")).isEqualTo(before + 1);
        KmsEmulator.Request last = kms.requests().get(kms.requests().size() - 1);
        assertThat(last.operation()).isEqualTo("Sign");
        assertThat(last.member("KeyId")).hasValue("alias/recorded");
        assertThat(last.member("MessageType")).isEmpty();
    }

    @Test
    void keysThatKmsWouldRefuseToCreateAreRefused() {
        assertThatThrownBy(() -> kms.createKey(KmsEmulator.KeySpec.SYMMETRIC_DEFAULT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> kms.createKey(KmsEmulator.KeySpec.ECC_NIST_P256, KmsEmulator.KeyUsage.ENCRYPT_DECRYPT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Answer call(String operation, Map<String, Object> body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(kms.endpoint())
                .header("X-Amz-Target", "TrentService." + operation)
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/eu-central-1/kms/aws4_request,"
                        + " SignedHeaders=host;x-amz-date, Signature=0000")
                .POST(HttpRequest.BodyPublishers.ofString(JsonDocuments.write(new LinkedHashMap<>(body)))).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                JsonDocuments.parseObject(response.body()));
    }

    private static boolean verify(String algorithm, KmsEmulator.Key key, byte[] data, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(key.publicKey().orElseThrow());
        verifier.update(data);
        return verifier.verify(signature);
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static final class Answer {
        final int status;
        final String contentType;
        final Map<String, Object> body;

        Answer(int status, String contentType, Map<String, Object> body) {
            this.status = status;
            this.contentType = contentType;
            this.body = body;
        }
    }
}
