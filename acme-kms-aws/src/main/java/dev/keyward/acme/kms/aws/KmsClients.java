package dev.keyward.acme.kms.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;

/** Creates the signer's own {@link KmsClient}: JDK HTTP, standard retries with bounded attempts. */
final class KmsClients {
    private KmsClients() {
    }

    /**
     * The region a key ARN or alias ARN names ({@code arn:PARTITION:kms:REGION:ACCOUNT:key/ID}): the
     * only region where that key can be used.
     */
    static Optional<Region> arnRegion(String keyId) {
        String[] parts = keyId.split(":", 6);
        if (parts.length == 6 && parts[0].equals("arn") && parts[2].equals("kms") && !parts[3].isEmpty()) {
            return Optional.of(Region.of(parts[3]));
        }
        return Optional.empty();
    }

    /**
     * @param region or {@code null} for the SDK's discovery
     * @param credentials or {@code null} for the default chain
     * @param endpoint or {@code null} for the SDK's discovery
     * @throws software.amazon.awssdk.core.exception.SdkClientException if no region can be found
     */
    static KmsClient create(Region region, AwsCredentialsProvider credentials, URI endpoint, int maxAttempts,
                            Duration connectTimeout, Duration readTimeout) {
        KmsClientBuilder builder = KmsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(connectTimeout)
                        .socketTimeout(readTimeout))
                .overrideConfiguration(o -> o.retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(maxAttempts).build()));
        if (region != null) {
            builder.region(region);
        }
        if (credentials != null) {
            builder.credentialsProvider(credentials);
        }
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }
}
