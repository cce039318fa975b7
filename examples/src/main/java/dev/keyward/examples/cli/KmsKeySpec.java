package dev.keyward.examples.cli;

import dev.keyward.acme.AcmeSigner;

/**
 * A key in AWS KMS wherever the command line takes a key file ({@code --account-key}, {@code --key}):
 * {@code kms:KEY}, with KEY a key id, a key ARN, {@code alias/NAME} or an alias ARN. The AWS SDK finds
 * the region (the ARN's, else {@code AWS_REGION} or the profile), the credentials (its default chain:
 * environment, {@code AWS_PROFILE}, SSO, web identity, container and instance roles) and the endpoint
 * ({@code AWS_ENDPOINT_URL_KMS}, else the region's) as it always does. The key never leaves KMS, so
 * {@code issue} writes no {@code key.pem} for it. The AWS part is loaded only here ({@link KmsModule}).
 */
final class KmsKeySpec {
    static final String SCHEME = "kms:";

    private final String keyId;

    private KmsKeySpec(String keyId) {
        this.keyId = keyId;
    }

    /** Whether a key option's value names a KMS key: the scheme in any case (RFC 3986 section 3.1). */
    static boolean isKms(String spec) {
        return spec.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /** Parses {@code kms:KEY}; refuses an empty or spaced KEY. */
    static KmsKeySpec parse(String spec) throws ConfigException {
        String keyId = spec.substring(SCHEME.length());
        if (keyId.isEmpty()) {
            throw new ConfigException("kms: needs a key after it: kms:KEY-ID, kms:arn:aws:kms:..., or kms:alias/NAME");
        }
        try {
            KmsModule.checkKeyId(keyId);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("not a KMS key in " + spec + ": " + e.getMessage(), e);
        }
        return new KmsKeySpec(keyId);
    }

    String keyId() {
        return keyId;
    }

    /**
     * Asks KMS for the key's public half (one {@code GetPublicKey}) and returns its signer, which
     * goes to {@code resources}: the command closes it and the SDK client it made.
     */
    AcmeSigner signer(OpenedResources resources) throws ConfigException {
        return KmsModule.signer(keyId, resources);
    }
}
