package dev.keyward.acme.kms.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Makes {@link KmsSigner}s: ACME signers (RFC 8555 section 6.2 for every JWS, section 7.4 for the
 * CSR) whose key lives in AWS KMS and never leaves it.
 *
 * <pre>{@code
 * try (KmsSigner accountKey = KmsSigners.builder().keyId("alias/acme-account").build()) {
 *     Account account = client.newAccount(accountKey).agreeToTermsOfService().create();
 * }
 * }</pre>
 *
 * <p>{@link Builder#build()} calls {@code GetPublicKey} once, to build the JWK and to pick the
 * algorithm from the key spec: {@code ECC_NIST_P256}, {@code ECC_NIST_P384}, {@code ECC_NIST_P521}
 * sign ES256, ES384, ES512 ({@code ECDSA_SHA_256/384/512}); {@code RSA_2048}, {@code RSA_3072},
 * {@code RSA_4096} sign RS256 ({@code RSASSA_PKCS1_V1_5_SHA_256}). Other specs, and keys whose
 * {@code KeyUsage} is not {@code SIGN_VERIFY}, are refused. Each signature is then one {@code Sign}
 * call with the digest computed locally ({@code MessageType=DIGEST}), so the data never travels.
 * The caller needs {@code kms:GetPublicKey} and {@code kms:Sign} on the key.
 *
 * <p>With {@link Builder#kmsClient} the caller's client is used as it is, its retry policy
 * included, and never closed. Otherwise the signer creates its own client with the SDK's usual
 * discovery for whatever is not set on the builder: region (that of a key or alias ARN, else
 * {@code aws.region}, {@code AWS_REGION}, the profile), credentials (the default provider chain) and endpoint
 * ({@code aws.endpointUrlKms}, {@code AWS_ENDPOINT_URL_KMS}, {@code AWS_ENDPOINT_URL}, the profile);
 * that client sends requests through the JDK's {@code HttpURLConnection} (connect timeout
 * {@value #CONNECT_TIMEOUT_SECONDS} s, read timeout {@value #READ_TIMEOUT_SECONDS} s) and retries with
 * the SDK's <em>standard</em> retry strategy, bounded at {@link #DEFAULT_MAX_ATTEMPTS} attempts in all
 * unless {@link Builder#maxAttempts} says otherwise: throttling ({@code ThrottlingException}) and
 * 5xx answers are retried after an exponential, jittered backoff (for throttling from 1 s, at most
 * 20 s), other errors are not. {@code AWS_RETRY_MODE} and {@code AWS_MAX_ATTEMPTS} do not apply to it.
 */
public final class KmsSigners {
    /** Attempts per KMS call, the first included, of a client the signer creates: 3. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** The largest {@link Builder#maxAttempts}: 10. */
    public static final int MAX_ATTEMPTS_LIMIT = 10;
    /** Connect timeout of a client the signer creates, in seconds. */
    public static final int CONNECT_TIMEOUT_SECONDS = 5;
    /** Read timeout of a client the signer creates, in seconds. */
    public static final int READ_TIMEOUT_SECONDS = 10;

    private KmsSigners() {
    }

    /**
     * A builder with nothing set; {@link Builder#keyId} is required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures a {@link KmsSigner}. Setters validate at once; not thread-safe. */
    public static final class Builder {
        private String keyId;
        private KmsClient kmsClient;
        private Region region;
        private AwsCredentialsProvider credentialsProvider;
        private URI endpoint;
        private Integer maxAttempts;

        private Builder() {
        }

        /**
         * The key: a key id ({@code 1234abcd-...}), key ARN, alias name ({@code alias/NAME}) or alias
         * ARN. Required. An alias is resolved once, when the signer is built.
         *
         * @param keyId the key identifier
         * @return this builder
         * @throws IllegalArgumentException if blank or holding whitespace
         */
        public Builder keyId(String keyId) {
            Objects.requireNonNull(keyId, "keyId");
            if (keyId.isBlank() || !keyId.equals(keyId.strip()) || keyId.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("a KMS key id, ARN or alias holds no whitespace: '" + keyId + "'");
            }
            if (keyId.equals("alias/")) {
                throw new IllegalArgumentException("an alias needs a name after alias/");
            }
            this.keyId = keyId;
            return this;
        }

        /**
         * The caller's KMS client, used as it is (its region, credentials, endpoint and retry policy)
         * and never closed by the signer. Excludes {@link #region}, {@link #credentialsProvider},
         * {@link #endpointOverride} and {@link #maxAttempts}.
         *
         * @param client the client
         * @return this builder
         */
        public Builder kmsClient(KmsClient client) {
            this.kmsClient = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * The region of the signer's own client. Default: the region of a key ARN or alias ARN given
         * as {@link #keyId}, else the SDK's region discovery.
         *
         * @param region the region
         * @return this builder
         */
        public Builder region(Region region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /**
         * The credentials of the signer's own client. Default: the SDK's default credentials chain.
         *
         * @param provider the credentials provider
         * @return this builder
         */
        public Builder credentialsProvider(AwsCredentialsProvider provider) {
            this.credentialsProvider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * The KMS endpoint of the signer's own client, for example a VPC endpoint or a test emulator.
         * Default: the SDK's endpoint discovery ({@code AWS_ENDPOINT_URL_KMS} and the like), else the
         * region's public endpoint.
         *
         * @param endpoint an absolute {@code https} (or, for tests, {@code http}) URI
         * @return this builder
         * @throws IllegalArgumentException if not an absolute http(s) URI
         */
        public Builder endpointOverride(URI endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
            if (!endpoint.isAbsolute() || endpoint.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
                throw new IllegalArgumentException("a KMS endpoint is an absolute http(s) URI: " + endpoint);
            }
            this.endpoint = endpoint;
            return this;
        }

        /**
         * Attempts per KMS call of the signer's own client, the first included: 1 turns retries off.
         * Default {@link KmsSigners#DEFAULT_MAX_ATTEMPTS}.
         *
         * @param attempts from 1 to {@link KmsSigners#MAX_ATTEMPTS_LIMIT}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1 || attempts > MAX_ATTEMPTS_LIMIT) {
                throw new IllegalArgumentException("maxAttempts must be between 1 and " + MAX_ATTEMPTS_LIMIT + ": " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * Creates the client unless one was given, calls {@code GetPublicKey} once and returns the
         * signer.
         *
         * @return the signer
         * @throws IllegalStateException if no key id was set, or a client was given together with
         *     region, credentials, endpoint or attempts
         * @throws KmsSigningException if the client cannot be created (no region found:
         *     {@link KmsSigningException.Reason#CLIENT_FAILURE}), if KMS refuses {@code GetPublicKey}
         *     (the reason says why), or if the key cannot sign ACME requests
         *     ({@link KmsSigningException.Reason#WRONG_KEY_USAGE},
         *     {@link KmsSigningException.Reason#UNSUPPORTED_KEY_SPEC})
         */
        public KmsSigner build() throws KmsSigningException {
            if (keyId == null) {
                throw new IllegalStateException("call keyId(...) first: a key id, key ARN or alias/NAME");
            }
            if (kmsClient != null && (region != null || credentialsProvider != null || endpoint != null
                    || maxAttempts != null)) {
                throw new IllegalStateException("give kmsClient(...), or region, credentials, endpoint and attempts"
                        + " for a client of the signer's own, not both");
            }
            KmsClient client = kmsClient;
            if (client == null) {
                try {
                    client = KmsClients.create(region != null ? region : KmsClients.arnRegion(keyId).orElse(null),
                            credentialsProvider, endpoint,
                            maxAttempts == null ? DEFAULT_MAX_ATTEMPTS : maxAttempts,
                            Duration.ofSeconds(CONNECT_TIMEOUT_SECONDS), Duration.ofSeconds(READ_TIMEOUT_SECONDS));
                } catch (SdkException e) {
                    throw KmsErrors.translate(keyId, null, "client creation", e);
                }
            }
            try {
                return AwsKmsSigner.load(client, kmsClient == null, keyId);
            } catch (KmsSigningException | RuntimeException e) {
                if (kmsClient == null) {
                    client.close();
                }
                throw e;
            }
        }
    }
}
