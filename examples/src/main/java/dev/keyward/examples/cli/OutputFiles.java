package dev.keyward.examples.cli;

import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.RenewalInfo;
import java.io.IOException;
import java.net.URI;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The files {@code issue} writes: {@code cert.pem}, {@code chain.pem}, for a key it generated
 * {@code key.pem}, and {@code .keyward}, which records the directory URL of the CA that issued
 * {@code cert.pem} and that certificate's ARI identifier (RFC 9773 section 4.1), so that the next
 * {@code issue} into the directory knows it renews a certificate of the same CA and sends
 * {@code replaces} ({@link #previousFromSameCa}). Nothing is lost to a crash or a full disk: the directory is checked before the
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

    /** The name of the metadata file: {@code directory=URL} and {@code certificate=ARI-ID} lines. */
    static final String METADATA = ".keyward";

    /**
     * The {@code cert.pem} in the directory when this CA issued it: {@code .keyward} names the same
     * directory URL and the ARI identifier of that very {@code cert.pem} (so a certificate copied
     * in by hand, or a file half-replaced by a crash, does not count). Empty otherwise, and when
     * anything is missing or unreadable.
     */
    static Optional<X509Certificate> previousFromSameCa(Path dir, URI directoryUrl) {
        Path meta = dir.resolve(METADATA);
        Path cert = dir.resolve("cert.pem");
        if (!Files.isRegularFile(meta) || !Files.isRegularFile(cert)) {
            return Optional.empty();
        }
        try {
            Map<String, String> fields = new HashMap<>();
            for (String line : Files.readAllLines(meta, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("#")) {
                    fields.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
            if (!directoryUrl.toASCIIString().equals(fields.get("directory")) || fields.get("certificate") == null) {
                return Optional.empty();
            }
            X509Certificate leaf = CertificateFiles.leaf(cert, "--out");
            return fields.get("certificate").equals(RenewalInfo.certificateId(leaf)) ? Optional.of(leaf)
                    : Optional.empty();
        } catch (IOException | ConfigException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Moves the certificate, the chain and the key into place, records the CA in
     * {@code .keyward}, and prints the paths of the three.
     */
    void commit(CertificateChain chain, URI directoryUrl, PrintStream out) throws ConfigException {
        commit(chain.leaf(), chain.leafPem(), chain.pem(), directoryUrl, out);
    }

    /** As {@link #commit(CertificateChain, URI, PrintStream)}, for a chain held as certificates (leaf first). */
    void commit(List<X509Certificate> chain, URI directoryUrl, PrintStream out) throws ConfigException {
        StringBuilder full = new StringBuilder();
        for (X509Certificate certificate : chain) {
            full.append(pem(certificate));
        }
        commit(chain.get(0), pem(chain.get(0)), full.toString(), directoryUrl, out);
    }

    private static String pem(X509Certificate certificate) throws ConfigException {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new ConfigException("cannot encode a certificate: " + e.getMessage(), e);
        }
    }

    private void commit(X509Certificate leaf, String leafPem, String fullPem, URI directoryUrl, PrintStream out)
            throws ConfigException {
        Path cert = dir.resolve("cert.pem");
        Path full = dir.resolve("chain.pem");
        Path key = dir.resolve("key.pem");
        try {
            replace(cert, leafPem);
            replace(full, fullPem);
            if (partialKey != null) {
                Files.move(partialKey, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            replace(dir.resolve(METADATA), metadata(leaf, directoryUrl));
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

    private static String metadata(X509Certificate leaf, URI directoryUrl) {
        String text = "# keyward: the CA that issued cert.pem, for replaces (RFC 9773) on the next issue\n"
                + "directory=" + directoryUrl.toASCIIString() + "\n";
        try {
            return text + "certificate=" + RenewalInfo.certificateId(leaf) + "\n";
        } catch (IllegalArgumentException e) {
            return text;
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
