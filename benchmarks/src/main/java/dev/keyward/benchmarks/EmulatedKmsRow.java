package dev.keyward.benchmarks;

import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.kms.aws.KmsSigner;
import dev.keyward.acme.kms.aws.KmsSigners;
import dev.keyward.acme.testkit.KmsEmulator;
import java.security.MessageDigest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SignRequest;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * The emulated KMS P-256 row of {@link SignerOverhead}: an ECC_NIST_P256 key in the test kit's
 * {@link KmsEmulator} on loopback (an emulator, not AWS: the figures measure the SDK, the HTTP round
 * trip on 127.0.0.1 and the emulator's own signing, never AWS latency). The Keyward signer comes from
 * {@code acme-kms-aws}; the raw signature is the same {@code Sign} call (SHA-256 digest computed
 * here, {@code MessageType=DIGEST}) made directly on the same {@link KmsClient}.
 */
final class EmulatedKmsRow implements SignerOverhead.Row {
    private final KmsEmulator kms;
    private final KmsClient client;
    private final KmsSigner signer;

    private EmulatedKmsRow(KmsEmulator kms, KmsClient client, KmsSigner signer) {
        this.kms = kms;
        this.client = client;
        this.signer = signer;
    }

    /** Starts an emulator with one P-256 key and a client of it; made-up credentials, never sent past loopback. */
    static EmulatedKmsRow p256() throws Exception {
        KmsEmulator kms = KmsEmulator.start();
        KmsEmulator.Key key = kms.createKey(KmsEmulator.KeySpec.ECC_NIST_P256);
        KmsClient client = KmsClient.builder()
                .endpointOverride(kms.endpoint())
                .region(Region.of(kms.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIAKEYWARDBENCHMARK", "keyward-benchmark-not-a-secret")))
                .build();
        return new EmulatedKmsRow(kms, client, KmsSigners.builder().keyId(key.arn()).kmsClient(client).build());
    }

    @Override
    public String name() {
        return "emulated KMS P-256";
    }

    @Override
    public AcmeSigner signer() {
        return signer;
    }

    @Override
    public byte[] rawSign(byte[] data) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(data);
        return client.sign(SignRequest.builder()
                .keyId(signer.keyArn())
                .message(SdkBytes.fromByteArrayUnsafe(digest))
                .messageType(MessageType.DIGEST)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)
                .build()).signature().asByteArray();
    }

    @Override
    public void close() {
        signer.close();
        client.close();
        kms.close();
    }
}
