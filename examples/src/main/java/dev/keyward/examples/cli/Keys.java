package dev.keyward.examples.cli;

import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Signers;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Optional;

/**
 * Turns the key options of the command line ({@code --account-key}, {@code --key}) into signers.
 * A value is a PEM file path, or an RFC 7512 {@code pkcs11:} URI of a key in a token ({@link Pkcs11Uri}),
 * or {@code kms:KEY} for a key in AWS KMS ({@link KmsKeySpec}); schemes are case-insensitive (RFC 3986
 * section 3.1). A value that looks like a URI with any other scheme is a usage error, never a file
 * name: a typo must not create a new software key. A token's key store and a KMS signer are handed to
 * the command's {@link OpenedResources}, which closes them when the command ends.
 */
final class Keys {
    private final OpenedResources resources;
    private final PrintStream err;

    Keys(OpenedResources resources, PrintStream err) {
        this.resources = resources;
        this.err = err;
    }

    /** A certificate key: its signer, and the key pair when this run generated it (to write key.pem). */
    static final class CertificateKey {
        final AcmeSigner signer;
        final Optional<KeyPair> generated;

        CertificateKey(AcmeSigner signer, Optional<KeyPair> generated) {
            this.signer = signer;
            this.generated = generated;
        }
    }

    /**
     * The account key: the PEM file, created (EC P-256) when absent; without a value, a key that
     * lives only as long as this run.
     */
    AcmeSigner accountKey(Optional<String> spec) throws ConfigException, UsageException {
        if (spec.isEmpty()) {
            err.println("No --account-key given: using a new account key for this run only");
            return signer(KeyType.EC_P256.generate());
        }
        requireKnownScheme(spec.get());
        if (Pkcs11Uri.isPkcs11(spec.get())) {
            return Pkcs11Uri.parse(spec.get()).signer(resources);
        }
        if (KmsKeySpec.isKms(spec.get())) {
            return KmsKeySpec.parse(spec.get()).signer(resources);
        }
        Path file = Path.of(spec.get());
        KeyPair[] generated = {null};
        KeyPair pair = KeyFiles.readOrCreate(file, () -> generated[0] = KeyType.EC_P256.generate());
        if (generated[0] != null && generated[0].getPublic().equals(pair.getPublic())) {
            err.println("Created account key " + file);
        }
        return signer(pair);
    }

    /** The certificate key: the given PEM file, or a new key of the given type. */
    CertificateKey certificateKey(Optional<String> spec, KeyType type) throws ConfigException, UsageException {
        if (spec.isPresent()) {
            requireKnownScheme(spec.get());
        }
        if (spec.isPresent() && Pkcs11Uri.isPkcs11(spec.get())) {
            return new CertificateKey(Pkcs11Uri.parse(spec.get()).signer(resources), Optional.empty());
        }
        if (spec.isPresent() && KmsKeySpec.isKms(spec.get())) {
            return new CertificateKey(KmsKeySpec.parse(spec.get()).signer(resources), Optional.empty());
        }
        if (spec.isPresent()) {
            return new CertificateKey(signer(KeyFiles.read(Path.of(spec.get()))), Optional.empty());
        }
        KeyPair pair = type.generate();
        return new CertificateKey(signer(pair), Optional.of(pair));
    }

    /**
     * The key of an account that exists already: a command that acts on an account cannot use a
     * throwaway key, and does not create a key file.
     */
    AcmeSigner existingAccountKey(Optional<String> spec) throws UsageException, ConfigException {
        if (spec.isEmpty()) {
            throw new UsageException("this command needs --account-key of an existing account");
        }
        if (isFile(spec.get()) && !Files.exists(Path.of(spec.get()))) {
            throw new ConfigException("account key file " + spec.get() + " does not exist");
        }
        return accountKey(spec);
    }

    /** A key given on the command line that must exist (a PEM file, or a key in a token or KMS). */
    AcmeSigner existingKey(String spec, String option) throws ConfigException, UsageException {
        if (isFile(spec) && !Files.exists(Path.of(spec))) {
            throw new ConfigException(option + " file " + spec + " does not exist");
        }
        return certificateKey(Optional.of(spec), KeyType.EC_P256).signer;
    }

    /** A new key's file: read when it exists, otherwise created (EC P-256). */
    AcmeSigner newKeyFile(String spec) throws ConfigException, UsageException {
        return accountKey(Optional.of(spec));
    }

    /** A fresh EC P-256 key held in memory only, for an ephemeral account: never written anywhere. */
    static AcmeSigner ephemeral() throws ConfigException {
        return signer(KeyType.EC_P256.generate());
    }

    private static boolean isFile(String spec) {
        return !Pkcs11Uri.isPkcs11(spec) && !KmsKeySpec.isKms(spec) && !looksLikeUri(spec);
    }

    /**
     * Whether a value starts like an absolute URI: a scheme of two or more characters (RFC 3986
     * section 3.1) and a colon. One letter and a colon is a Windows drive, not a scheme.
     */
    static boolean looksLikeUri(String spec) {
        return URI_SCHEME.matcher(spec).lookingAt();
    }

    /** Refuses a value that looks like a URI of a scheme no key option understands. */
    static void requireKnownScheme(String spec) throws UsageException {
        if (looksLikeUri(spec) && !Pkcs11Uri.isPkcs11(spec) && !KmsKeySpec.isKms(spec)) {
            String scheme = spec.substring(0, spec.indexOf(':') + 1);
            throw new UsageException("a key is a PEM file, a pkcs11: URI or kms:KEY, not a " + scheme + " URI"
                    + " (to use a file whose name has a colon, write it as ./" + scheme + "...)");
        }
    }

    /**
     * Refuses a certificate key that names the account key (RFC 8555 section 11.1 wants them to
     * differ): the same file after resolving links and {@code ..} (or, for a file not created yet,
     * the same absolute path), or the same {@code pkcs11:} or {@code kms:} URI (schemes compared
     * without case). Checked before any request.
     */
    static void requireDistinct(String certificateKey, String option, String accountKey) throws UsageException {
        if (accountKey == null || !sameKey(certificateKey, accountKey)) {
            return;
        }
        throw new UsageException(option + " names the same key as --account-key; the certificate key must differ"
                + " from the account key (RFC 8555 section 11.1)");
    }

    private static boolean sameKey(String a, String b) {
        boolean aUri = looksLikeUri(a) || Pkcs11Uri.isPkcs11(a) || KmsKeySpec.isKms(a);
        boolean bUri = looksLikeUri(b) || Pkcs11Uri.isPkcs11(b) || KmsKeySpec.isKms(b);
        if (aUri || bUri) {
            return aUri && bUri && normalizedUri(a).equals(normalizedUri(b));
        }
        return canonicalPath(a).equals(canonicalPath(b));
    }

    private static String normalizedUri(String spec) {
        int colon = spec.indexOf(':');
        return spec.substring(0, colon).toLowerCase(java.util.Locale.ROOT) + spec.substring(colon).trim();
    }

    private static Path canonicalPath(String spec) {
        Path path = Path.of(spec).toAbsolutePath().normalize();
        try {
            return path.toRealPath();
        } catch (java.io.IOException | SecurityException e) {
            Path parent = path.getParent();
            try {
                return parent == null ? path : parent.toRealPath().resolve(path.getFileName());
            } catch (java.io.IOException | SecurityException again) {
                return path;
            }
        }
    }

    private static final java.util.regex.Pattern URI_SCHEME = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:");

    static AcmeSigner signer(KeyPair pair) throws ConfigException {
        try {
            return Signers.jca(pair.getPrivate(), pair.getPublic());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("unusable key: " + e.getMessage(), e);
        }
    }
}
