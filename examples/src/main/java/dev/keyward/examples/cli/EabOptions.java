package dev.keyward.examples.cli;

import dev.keyward.acme.ExternalAccountBinding;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --eab-kid ID --eab-hmac-key B64URL}: the External Account Binding (RFC 8555 section
 * 7.3.4), a picocli group whose two options come together or not at all.
 */
final class EabOptions {
    @Option(names = "--eab-kid", paramLabel = "ID", required = true, description = "the CA's key identifier for EAB")
    String kid;

    @Option(names = "--eab-hmac-key", paramLabel = "B64URL", required = true,
            description = "the CA's MAC key for EAB, base64url")
    String hmacKey;

    /** The binding of a group picocli filled in, or none when the options were not given. */
    static Optional<ExternalAccountBinding> of(EabOptions options) throws UsageException {
        if (options == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ExternalAccountBinding.of(options.kid, options.hmacKey));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
