package dev.keyward.examples.cli;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every command takes, before or after the command's name ({@code scope = INHERIT}):
 * where the CA is and how far to trust and wait for it, the account key, and {@code --verbose}.
 */
final class GlobalOptions {
    @Option(names = "--directory", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "the CA's directory URL (https)")
    String directory;

    @Option(names = "--trust", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "CA certificates to trust: PEM, or PKCS#12 (.p12) with an empty password")
    Path trust;

    @Option(names = "--account-key", paramLabel = "KEY", scope = ScopeType.INHERIT,
            description = "the account key: a PEM file (created when absent), pkcs11: URI or kms:KEY")
    String accountKey;

    @Option(names = "--account", paramLabel = "NAME", scope = ScopeType.INHERIT,
            description = "a named local account instead of --account-key: its key and record in --accounts-dir/NAME/")
    String accountName;

    @Option(names = "--accounts-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "the folder of named accounts (default $XDG_CONFIG_HOME/keyward/accounts,"
                    + " else ~/.config/keyward/accounts)")
    Path accountsDir;

    /** Whether {@link AccountNames#resolve} has turned {@code --account} into the key and directory. */
    boolean accountNameResolved;

    @Option(names = "--pebble", scope = ScopeType.INHERIT, description = "start a local Pebble test CA and use it")
    boolean pebble;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "print stack traces of errors")
    boolean verbose;

    @Option(names = "--timeout", paramLabel = "SECONDS", scope = ScopeType.INHERIT,
            description = "the deadline of the whole command, 1-3600 (default 90)")
    Integer timeoutSeconds;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", scope = ScopeType.INHERIT,
            description = "the deadline of each request, 1-600 (default 10)")
    Integer requestTimeoutSeconds;

    @Option(names = "--insecure-http", scope = ScopeType.INHERIT,
            description = "allow an http:// directory (a local test server only)")
    boolean insecureHttp;

    Duration timeout() throws UsageException {
        return Duration.ofSeconds(within("--timeout", timeoutSeconds, 90, 1, 3600));
    }

    Duration requestTimeout() throws UsageException {
        return Duration.ofSeconds(within("--request-timeout", requestTimeoutSeconds, 10, 1, 600));
    }

    /** A number option's value, or its default; a usage error outside min..max. */
    static int within(String option, Integer value, int fallback, int min, int max) throws UsageException {
        int n = value == null ? fallback : value;
        if (n < min || n > max) {
            throw new UsageException(option + " must be between " + min + " and " + max + ", was " + n);
        }
        return n;
    }
}
