package dev.keyward.examples.cli;

import dev.keyward.acme.CertificateChain;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.util.Optional;
import java.util.UUID;

/**
 * The files {@code issue} writes: {@code cert.pem}, {@code chain.pem} and, for a key it generated,
 * {@code key.pem}. Nothing is lost to a crash or a full disk: the directory is checked before the
 * CA is asked, a generated key is on disk (in a hidden partial file) before the certificate exists,
 * and every file is written aside and moved into place at once, so an earlier certificate and key
 * are replaced together or not at all.
 */
final class OutputFiles implements AutoCloseable {
    private final Path dir;
    private final Path partialKey;
    private boolean issued;
    private boolean committed;

    private OutputFiles(Path dir, Path partialKey) {
        this.dir = dir;
        this.partialKey = partialKey;
    }

    /** Creates the directory if needed and saves a generated key aside, before anything is issued. */
    static OutputFiles prepare(Path dir, Optional<KeyPair> generatedKey) throws ConfigException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException("cannot create the output directory " + dir + ": " + e.getClass().getSimpleName(), e);
        }
        if (!Files.isWritable(dir)) {
            throw new ConfigException("cannot write to the output directory " + dir);
        }
        Path partial = null;
        if (generatedKey.isPresent()) {
            partial = dir.resolve(".key.pem." + UUID.randomUUID() + ".partial");
            KeyFiles.write(partial, generatedKey.get());
        }
        return new OutputFiles(dir, partial);
    }

    /** From now on a certificate may exist for the key (the CSR is on its way): keep the key whatever happens. */
    void issued() {
        issued = true;
    }

    /** Moves the certificate, the chain and the key into place, and prints their paths. */
    void commit(CertificateChain chain, PrintStream out) throws ConfigException {
        Path cert = dir.resolve("cert.pem");
        Path full = dir.resolve("chain.pem");
        Path key = dir.resolve("key.pem");
        try {
            replace(cert, chain.leafPem());
            replace(full, chain.pem());
            if (partialKey != null) {
                Files.move(partialKey, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new ConfigException("cannot write the certificate to " + dir + " (" + e.getClass().getSimpleName()
                    + ")" + (partialKey == null ? "" : "; its key is kept in " + partialKey), e);
        }
        committed = true;
        out.println(cert);
        out.println(full);
        if (partialKey != null) {
            out.println(key);
        }
    }

    private void replace(Path target, String text) throws IOException {
        Path aside = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".partial");
        try {
            Files.writeString(aside, text, StandardCharsets.US_ASCII);
            Files.move(aside, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(aside);
        }
    }

    /** Deletes the saved key when nothing was issued for it; keeps it otherwise. */
    @Override
    public void close() {
        if (partialKey != null && !issued && !committed) {
            try {
                Files.deleteIfExists(partialKey);
            } catch (IOException e) {
                // Left behind: a stray key for which no certificate exists.
            }
        }
    }
}
