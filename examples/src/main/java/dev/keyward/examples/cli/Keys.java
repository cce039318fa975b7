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
 * A value is a PEM file path.
 */
final class Keys {
    private Keys() {
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
    static AcmeSigner accountKey(Optional<String> spec, PrintStream err) throws ConfigException {
        if (spec.isEmpty()) {
            err.println("No --account-key given: using a new account key for this run only");
            return signer(KeyType.EC_P256.generate());
        }
        Path file = Path.of(spec.get());
        if (Files.exists(file)) {
            return signer(KeyFiles.read(file));
        }
        KeyPair pair = KeyType.EC_P256.generate();
        KeyFiles.write(file, pair);
        err.println("Created account key " + file);
        return signer(pair);
    }

    /** The certificate key: the given PEM file, or a new key of the given type. */
    static CertificateKey certificateKey(Optional<String> spec, KeyType type) throws ConfigException {
        if (spec.isPresent()) {
            return new CertificateKey(signer(KeyFiles.read(Path.of(spec.get()))), Optional.empty());
        }
        KeyPair pair = type.generate();
        return new CertificateKey(signer(pair), Optional.of(pair));
    }

    private static AcmeSigner signer(KeyPair pair) throws ConfigException {
        try {
            return Signers.jca(pair.getPrivate(), pair.getPublic());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("unusable key: " + e.getMessage(), e);
        }
    }
}
