package dev.keyward.examples.cli;

import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.RenewalInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * The files {@code issue}, {@code renew} and {@code run} write into an output directory, laid out
 * as certbot's live/archive: every certificate is a new version directory
 * {@code .archive/N/} holding {@code cert.pem}, {@code chain.pem}, {@code key.pem} (for a key
 * written by Keyward) and {@code .keyward}; the symbolic link {@code current} points at one version
 * and is switched by one atomic rename; {@code cert.pem}, {@code chain.pem}, {@code key.pem} and
 * {@code .keyward} in the directory are symbolic links into {@code current/}, made once. So a
 * reader of the directory sees the old set or the new set, never a mix, whenever the process is
 * killed; a version is fsynced before the switch. The three newest versions up to {@code current}
 * are kept; versions a killed run wrote but never switched to are removed.
 *
 * <p>A directory of plain files (written by an earlier version) is migrated on the first write
 * without a moment where certificate and key disagree: the plain files are copied into a version,
 * {@code current} is pointed at it, and then each plain file is replaced by its link, whose target
 * has the same content; only then is the new version switched in. A migration cut short is taken
 * up again by the next write.
 *
 * <p>{@code .keyward} records the directory URL of the CA that issued {@code cert.pem} and that
 * certificate's ARI identifier (RFC 9773 section 4.1), so that the next {@code issue} into the
 * directory knows it renews a certificate of the same CA and sends {@code replaces}
 * ({@link #previousFromSameCa}).
 */
final class OutputFiles {
    /** The name of the metadata file: {@code directory=URL} and {@code certificate=ARI-ID} lines. */
    static final String METADATA = ".keyward";
    static final String ARCHIVE = ".archive";
    static final String CURRENT = "current";
    static final String CERT = "cert.pem";
    static final String CHAIN = "chain.pem";
    static final String KEY = "key.pem";
    private static final List<String> LINKED = List.of(CERT, CHAIN, KEY, METADATA);
    /** Versions kept: {@code current} and the newest ones before it. */
    static final int KEPT_VERSIONS = 3;

    private final Path dir;
    private final PrintStream err;

    private OutputFiles(Path dir, PrintStream err) {
        this.dir = dir;
        this.err = err;
    }

    /**
     * Creates the directory if needed, checks that it can be written, and removes the temporary
     * files a killed run left there (saying how many).
     */
    static OutputFiles open(Path dir, PrintStream err) throws ConfigException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException("cannot create the output directory " + dir + ": " + IoWords.reason(e), e);
        }
        if (!Files.isWritable(dir)) {
            throw new ConfigException("cannot write to the output directory " + dir);
        }
        try {
            int removed = DurableFiles.removeTemporaries(dir) + DurableFiles.removeTemporaries(dir.resolve(ARCHIVE));
            if (removed > 0) {
                err.println("Removed " + removed + " temporary file(s) an interrupted run left in " + dir);
            }
        } catch (IOException e) {
            throw new ConfigException("cannot clean the output directory " + dir + ": " + IoWords.reason(e), e);
        }
        return new OutputFiles(dir, err);
    }

    Path dir() {
        return dir;
    }

    /** The key of the current version ({@code key.pem}), if there is one. */
    Optional<KeyPair> currentKey() throws ConfigException {
        Path key = dir.resolve(KEY);
        return Files.isRegularFile(key) ? Optional.of(KeyFiles.read(key)) : Optional.empty();
    }

    /**
     * The {@code cert.pem} in the directory when this CA issued it: {@code .keyward} names the same
     * directory URL and the ARI identifier of that very {@code cert.pem} (so a certificate copied
     * in by hand does not count). Empty otherwise, and when anything is missing or unreadable.
     */
    static Optional<X509Certificate> previousFromSameCa(Path dir, URI directoryUrl) {
        Path meta = dir.resolve(METADATA);
        Path cert = dir.resolve(CERT);
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
     * Writes a new version with the certificate, the chain, the key (when Keyward holds it) and the
     * CA's record, switches {@code current} to it, and prints the paths of the files.
     */
    void commit(CertificateChain chain, Optional<KeyPair> key, URI directoryUrl, PrintStream out)
            throws ConfigException {
        commit(chain.leaf(), chain.leafPem(), chain.pem(), key, directoryUrl, out);
    }

    /** As {@link #commit(CertificateChain, Optional, URI, PrintStream)}, for a chain held as certificates (leaf first). */
    void commit(List<X509Certificate> chain, Optional<KeyPair> key, URI directoryUrl, PrintStream out)
            throws ConfigException {
        StringBuilder full = new StringBuilder();
        for (X509Certificate certificate : chain) {
            full.append(pem(certificate));
        }
        commit(chain.get(0), pem(chain.get(0)), full.toString(), key, directoryUrl, out);
    }

    private void commit(X509Certificate leaf, String leafPem, String fullPem, Optional<KeyPair> key,
                        URI directoryUrl, PrintStream out) throws ConfigException {
        try {
            Path archive = dir.resolve(ARCHIVE);
            Files.createDirectories(archive);
            removeAbandoned(archive);
            migratePlainFiles(archive);
            Path version = newVersion(archive);
            write(version.resolve(CERT), leafPem.getBytes(StandardCharsets.US_ASCII), false);
            write(version.resolve(CHAIN), fullPem.getBytes(StandardCharsets.US_ASCII), false);
            if (key.isPresent()) {
                write(version.resolve(KEY), pem(key.get()), true);
            }
            write(version.resolve(METADATA), metadata(leaf, directoryUrl).getBytes(StandardCharsets.UTF_8), false);
            DurableFiles.syncDirectory(archive);
            TestPause.at("before-switch", err);
            switchTo(version);
            TestPause.at("after-switch", err);
            prune(archive);
        } catch (IOException e) {
            throw new ConfigException("cannot write the certificate to " + dir + " (" + IoWords.reason(e)
                    + ": " + ExitCodes.escape(e.getMessage()) + ")", e);
        }
        out.println(dir.resolve(CERT));
        out.println(dir.resolve(CHAIN));
        if (key.isPresent()) {
            out.println(dir.resolve(KEY));
        }
    }

    /** Points {@code current} at the version, then makes sure every file is a link into it. */
    private void switchTo(Path version) throws IOException {
        DurableFiles.link(dir.resolve(CURRENT), dir.relativize(version));
        for (String name : LINKED) {
            Path link = dir.resolve(name);
            if (Files.exists(version.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                DurableFiles.link(link, Path.of(CURRENT, name));
            } else if (Files.isSymbolicLink(link)) {
                // The new version has no such file (a key of the caller's own): no link to a file of another version.
                Files.delete(link);
            }
        }
    }

    /**
     * Turns plain files of an earlier layout (or of a migration cut short) into links: copies them
     * as they are into a version, points {@code current} at it, then links each name. Every name
     * shows the same content before and after, so certificate and key never disagree.
     */
    private void migratePlainFiles(Path archive) throws IOException {
        boolean plain = false;
        for (String name : LINKED) {
            Path file = dir.resolve(name);
            plain |= Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(file);
        }
        if (!plain) {
            return;
        }
        Path version = newVersion(archive);
        for (String name : LINKED) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                write(version.resolve(name), Files.readAllBytes(file), name.equals(KEY));
            }
        }
        DurableFiles.syncDirectory(archive);
        switchTo(version);
        err.println("Moved the files of " + dir + " into " + dir.relativize(version) + "; cert.pem, chain.pem and"
                + " key.pem are now links into " + CURRENT + "/");
    }

    /** A new, empty version directory numbered after every existing one. */
    private static Path newVersion(Path archive) throws IOException {
        int next = versions(archive).stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        for (int attempt = 0; attempt < 100; attempt++, next++) {
            try {
                return Files.createDirectory(archive.resolve(String.valueOf(next)));
            } catch (FileAlreadyExistsException e) {
                // Another run took this number at the same moment: take the next.
            }
        }
        throw new IOException("no free version number in " + archive);
    }

    /** The number of the version {@code current} points at; 0 when there is none yet. */
    private int currentVersion() throws IOException {
        Path link = dir.resolve(CURRENT);
        if (!Files.isSymbolicLink(link)) {
            return 0;
        }
        String name = Files.readSymbolicLink(link).getFileName().toString();
        return name.matches("[1-9][0-9]{0,8}") ? Integer.parseInt(name) : 0;
    }

    /** Removes the versions a killed run wrote (whole or in part) but never switched to. */
    private void removeAbandoned(Path archive) throws IOException {
        int current = currentVersion();
        for (int version : versions(archive)) {
            if (version > current) {
                DurableFiles.deleteTree(archive.resolve(String.valueOf(version)));
            }
        }
    }

    /** Keeps {@code current} and the newest versions before it, {@value #KEPT_VERSIONS} in all. */
    private void prune(Path archive) throws IOException {
        int current = currentVersion();
        List<Integer> older = new ArrayList<>(versions(archive).headSet(current, true).descendingSet());
        for (int version : older.subList(Math.min(KEPT_VERSIONS, older.size()), older.size())) {
            DurableFiles.deleteTree(archive.resolve(String.valueOf(version)));
        }
    }

    private static TreeSet<Integer> versions(Path archive) throws IOException {
        TreeSet<Integer> numbers = new TreeSet<>();
        try (Stream<Path> entries = Files.list(archive)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (name.matches("[1-9][0-9]{0,8}")) {
                    numbers.add(Integer.parseInt(name));
                }
            }
        }
        return numbers;
    }

    private static void write(Path file, byte[] content, boolean ownerOnly) throws IOException {
        DurableFiles.write(file, content, ownerOnly);
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

    /** A private key as PKCS#8 PEM. */
    static byte[] pem(KeyPair key) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaPKCS8Generator(key.getPrivate(), null));
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
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

    /** The names of the version directories, oldest first (for tests and messages). */
    List<Integer> versionNumbers() throws IOException {
        Path archive = dir.resolve(ARCHIVE);
        return Files.isDirectory(archive) ? new ArrayList<>(versions(archive)) : List.of();
    }
}
