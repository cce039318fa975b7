package dev.keyward.acme.kms.aws;

import dev.keyward.acme.kms.aws.KmsSigningException.Reason;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns the SDK's exceptions into {@link KmsSigningException}s that name the key and say what
 * happened, by KMS's error code ({@code __type}). The one place that knows KMS's error names.
 */
final class KmsErrors {
    private static final Set<String> CREDENTIAL_FAILURES = Set.of("UnrecognizedClientException",
            "InvalidSignatureException", "IncompleteSignature", "ExpiredTokenException", "InvalidClientTokenId",
            "MissingAuthenticationTokenException", "SignatureDoesNotMatch");
    private static final Set<String> UNAVAILABLE = Set.of("KMSInternalException", "KeyUnavailableException",
            "DependencyTimeoutException", "ServiceUnavailable", "InternalFailure");

    private KmsErrors() {
    }

    /** How messages name a key: as configured, with its ARN when known and different. */
    static String keyName(String keyId, String arn) {
        return "AWS KMS key " + keyId + (arn == null || arn.equals(keyId) ? "" : " (" + arn + ")");
    }

    static KmsSigningException translate(String keyId, String arn, String operation, SdkException e) {
        String key = keyName(keyId, arn);
        if (e instanceof AwsServiceException) {
            return service(keyId, key, operation, (AwsServiceException) e);
        }
        if (e instanceof SdkClientException) {
            return new KmsSigningException(keyId, Reason.CLIENT_FAILURE, key + ": the AWS SDK could not call KMS ("
                    + operation + "): " + e.getMessage(), e);
        }
        return new KmsSigningException(keyId, Reason.OTHER, key + ": " + operation + " failed: " + e.getMessage(), e);
    }

    private static KmsSigningException service(String keyId, String key, String operation, AwsServiceException e) {
        AwsErrorDetails details = e.awsErrorDetails();
        String code = details == null || details.errorCode() == null ? "HTTP " + e.statusCode() : details.errorCode();
        Reason reason;
        String what;
        if (e.isThrottlingException()) {
            reason = Reason.THROTTLED;
            what = "was throttled by KMS";
        } else if (CREDENTIAL_FAILURES.contains(code)) {
            reason = Reason.ACCESS_DENIED;
            what = "cannot be used: AWS did not accept the credentials";
        } else if (UNAVAILABLE.contains(code) || e.statusCode() >= 500) {
            reason = Reason.KMS_UNAVAILABLE;
            what = "is unavailable: KMS failed";
        } else {
            switch (code) {
                case "NotFoundException":
                    reason = Reason.KEY_NOT_FOUND;
                    what = "was not found in this account and region";
                    break;
                case "AccessDeniedException":
                case "AccessDenied":
                    reason = Reason.ACCESS_DENIED;
                    what = "may not be used by these credentials (kms:" + operation + " denied)";
                    break;
                case "DisabledException":
                    reason = Reason.KEY_DISABLED;
                    what = "is disabled";
                    break;
                case "KMSInvalidStateException":
                    reason = Reason.KEY_INVALID_STATE;
                    what = "is not in a usable state (pending deletion or import?)";
                    break;
                case "InvalidKeyUsageException":
                    reason = Reason.WRONG_KEY_USAGE;
                    what = "cannot sign: its key usage or signing algorithms do not allow it";
                    break;
                case "UnsupportedOperationException":
                    reason = Reason.UNSUPPORTED_KEY_SPEC;
                    what = "has no public key to sign with (a symmetric or HMAC key?)";
                    break;
                default:
                    reason = Reason.OTHER;
                    what = "could not be used";
            }
        }
        StringBuilder message = new StringBuilder(key).append(' ').append(what).append(" (").append(operation)
                .append(": ").append(code);
        if (details != null && details.errorMessage() != null) {
            message.append(": ").append(details.errorMessage());
        }
        if (e.requestId() != null) {
            message.append("; request id ").append(e.requestId());
        }
        if (e.numAttempts() != null && e.numAttempts() > 1) {
            message.append("; gave up after ").append(e.numAttempts()).append(" attempts");
        }
        return new KmsSigningException(keyId, reason, message.append(')').toString(), e);
    }
}
