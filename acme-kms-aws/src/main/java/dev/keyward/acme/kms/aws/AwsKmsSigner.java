package dev.keyward.acme.kms.aws;

import dev.keyward.acme.AcmeSigningException;
import dev.keyward.acme.SignatureAlgorithm;
import dev.keyward.acme.kms.aws.KmsSigningException.Reason;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SignRequest;
import software.amazon.awssdk.services.kms.model.SignResponse;

/** {@link KmsSigner}: {@code GetPublicKey} once in {@link #load}, then one {@code Sign} per signature. */
final class AwsKmsSigner implements KmsSigner {
    private final KmsClient client;
    private final boolean ownsClient;
    private final String keyId;
    private final String keyArn;
    private final KmsKeyType type;
    private final PublicKey publicKey;
    private volatile boolean closed;

    private AwsKmsSigner(KmsClient client, boolean ownsClient, String keyId, String keyArn, KmsKeyType type,
                         PublicKey publicKey) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.keyId = keyId;
        this.keyArn = keyArn;
        this.type = type;
        this.publicKey = publicKey;
    }

    /** Asks KMS for the public key and checks that the key can sign ACME requests. */
    static AwsKmsSigner load(KmsClient client, boolean ownsClient, String keyId) throws KmsSigningException {
        GetPublicKeyResponse response;
        try {
            response = client.getPublicKey(r -> r.keyId(keyId));
        } catch (SdkException e) {
            throw KmsErrors.translate(keyId, null, "GetPublicKey", e);
        }
        String arn = response.keyId() == null ? keyId : response.keyId();
        String key = KmsErrors.keyName(keyId, arn);
        if (response.keyUsage() != KeyUsageType.SIGN_VERIFY) {
            throw new KmsSigningException(keyId, Reason.WRONG_KEY_USAGE, key + " has KeyUsage "
                    + response.keyUsageAsString() + ", not SIGN_VERIFY: it cannot sign ACME requests", null);
        }
        String spec = response.keySpecAsString();
        KmsKeyType type = KmsKeyType.forSpec(spec).orElseThrow(() -> new KmsSigningException(keyId,
                Reason.UNSUPPORTED_KEY_SPEC, key + " has key spec " + spec + "; ACME signing needs "
                + KmsKeyType.SUPPORTED, null));
        if (response.hasSigningAlgorithms() && !response.signingAlgorithms().contains(type.signingAlgorithm())) {
            throw new KmsSigningException(keyId, Reason.WRONG_KEY_USAGE, key + " does not offer "
                    + type.signingAlgorithm() + " (it offers " + response.signingAlgorithmsAsStrings() + ")", null);
        }
        if (response.publicKey() == null) {
            throw new KmsSigningException(keyId, Reason.INVALID_RESPONSE, key + ": GetPublicKey returned no public key", null);
        }
        PublicKey publicKey;
        try {
            publicKey = type.decode(response.publicKey().asByteArray());
        } catch (GeneralSecurityException e) {
            throw new KmsSigningException(keyId, Reason.INVALID_RESPONSE, key + ": GetPublicKey returned a public key"
                    + " that does not fit " + spec + ": " + e.getMessage(), e);
        }
        return new AwsKmsSigner(client, ownsClient, keyId, arn, type, publicKey);
    }

    @Override
    public SignatureAlgorithm algorithm() {
        return type.algorithm();
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public String keyId() {
        return keyId;
    }

    @Override
    public String keyArn() {
        return keyArn;
    }

    @Override
    public byte[] sign(byte[] data) throws AcmeSigningException {
        Objects.requireNonNull(data, "data");
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        SignRequest request = SignRequest.builder()
                .keyId(keyArn)
                .message(SdkBytes.fromByteArrayUnsafe(digest(data)))
                .messageType(MessageType.DIGEST)
                .signingAlgorithm(type.signingAlgorithm())
                .build();
        SignResponse response;
        try {
            response = client.sign(request);
        } catch (SdkException e) {
            throw KmsErrors.translate(keyId, keyArn, "Sign", e);
        }
        byte[] signature = response.signature() == null ? null : response.signature().asByteArray();
        try {
            KmsSignatures.check(signature, publicKey);
        } catch (IllegalArgumentException e) {
            throw new KmsSigningException(keyId, Reason.INVALID_RESPONSE, KmsErrors.keyName(keyId, keyArn)
                    + ": KMS returned a malformed " + type.signingAlgorithm() + " signature: " + e.getMessage(), e);
        }
        return signature;
    }

    private byte[] digest(byte[] data) {
        try {
            return MessageDigest.getInstance(type.algorithm().digestName()).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has " + type.algorithm().digestName(), e);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (ownsClient) {
                client.close();
            }
        }
    }

    @Override
    public String toString() {
        return "KmsSigner{" + keyId + (keyArn.equals(keyId) ? "" : " = " + keyArn) + ", " + type + ", "
                + type.algorithm().jwsName() + "}";
    }
}
