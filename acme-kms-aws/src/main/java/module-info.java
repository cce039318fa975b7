/**
 * Keyward's AWS KMS signer (RFC 8555 section 6.2 request signing, section 7.4 CSRs, with keys that
 * stay in AWS KMS). Exports its one package; the SDK types in its API ({@code KmsClient},
 * {@code Region}, {@code AwsCredentialsProvider}) come with it. The AWS SDK jars are automatic modules.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.keyward.acme.kms.aws {
    exports dev.keyward.acme.kms.aws;

    requires transitive dev.keyward.acme;
    requires transitive software.amazon.awssdk.services.kms;
    requires transitive software.amazon.awssdk.regions;
    requires transitive software.amazon.awssdk.auth;
    requires software.amazon.awssdk.core;
    requires software.amazon.awssdk.awscore;
    requires software.amazon.awssdk.http;
    requires software.amazon.awssdk.http.urlconnection;
    requires software.amazon.awssdk.retries;
    requires software.amazon.awssdk.retries.api;
    requires org.bouncycastle.provider;
}
