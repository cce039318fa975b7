package dev.keyward.acme.kms.aws;

import dev.keyward.acme.testkit.KmsEmulator;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Points the SDK at the test kit's KMS emulator on loopback, with an explicit region and static
 * credentials, so no test reaches past 127.0.0.1 (Surefire also sets AWS_EC2_METADATA_DISABLED).
 */
final class EmulatedKms {
    /** Made-up credentials: the emulator does not verify SigV4. */
    static final String ACCESS_KEY_ID = "AKIAKEYWARDEMULATOR0";
    static final String SECRET_ACCESS_KEY = "keyward-emulator-secret-never-printed";
    static final AwsCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));

    private EmulatedKms() {
    }

    /** A signer builder whose own client talks to {@code kms}. */
    static KmsSigners.Builder signer(KmsEmulator kms, String keyId) {
        return KmsSigners.builder()
                .keyId(keyId)
                .endpointOverride(kms.endpoint())
                .region(Region.of(kms.region()))
                .credentialsProvider(CREDENTIALS);
    }

    /** A caller's own client of {@code kms}, with the SDK's default retry policy. */
    static KmsClient client(KmsEmulator kms) {
        return KmsClient.builder()
                .endpointOverride(kms.endpoint())
                .region(Region.of(kms.region()))
                .credentialsProvider(CREDENTIALS)
                .build();
    }

    /** The Sign requests the emulator received, oldest first. */
    static List<KmsEmulator.Request> signRequests(KmsEmulator kms) {
        return kms.requests().stream().filter(r -> r.operation().equals("Sign")).toList();
    }

    /** Verifies with the JDK's own provider, as any relying party would. */
    static boolean verifiesWithJca(String jcaAlgorithm, java.security.PublicKey key, byte[] data, byte[] signature)
            throws Exception {
        Signature verifier = Signature.getInstance(jcaAlgorithm);
        verifier.initVerify(key);
        verifier.update(data);
        return verifier.verify(signature);
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
