package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output directory's live/archive layout: each certificate is a version directory, one
 * symbolic link switches between them, the files are links through it, plain files of an earlier
 * layout are migrated, and what a killed run left is cleaned up.
 */
class OutputFilesTest {
    private static final URI CA = URI.create("https://ca.keyward.test/dir");
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @TempDir
    Path dir;

    static X509Certificate selfSigned(KeyPair key) throws Exception {
        Date now = new Date();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=out.keyward.test"), BigInteger.valueOf(System.nanoTime()), now,
                new Date(now.getTime() + 86_400_000L), new X500Name("CN=out.keyward.test"), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    }

    private KeyPair commit(Path out, boolean withKey) throws Exception {
        KeyPair key = KeyType.EC_P256.generate();
        OutputFiles.open(out, QUIET).commit(List.of(selfSigned(key)), withKey ? Optional.of(key) : Optional.empty(),
                CA, QUIET);
        return key;
    }

    static void assertCertificateAndKeyAgree(Path out) throws Exception {
        X509Certificate cert = CertificateFiles.leaf(out.resolve("cert.pem"), "test");
        assertThat(CertificateFiles.leaf(out.resolve("chain.pem"), "test")).as("chain.pem's leaf").isEqualTo(cert);
        assertThat(KeyFiles.read(out.resolve("key.pem")).getPublic()).as("key.pem certified by cert.pem")
                .isEqualTo(cert.getPublicKey());
    }

    private List<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theFilesAreLinksThroughCurrentIntoAVersionDirectory() throws Exception {
        KeyPair key = commit(dir, true);

        assertThat(names(dir)).containsExactly(".archive", ".keyward", "cert.pem", "chain.pem", "current", "key.pem");
        assertThat(Files.readSymbolicLink(dir.resolve("current"))).isEqualTo(Path.of(".archive", "1"));
        for (String name : List.of("cert.pem", "chain.pem", "key.pem", ".keyward")) {
            assertThat(Files.readSymbolicLink(dir.resolve(name))).isEqualTo(Path.of("current", name));
        }
        assertCertificateAndKeyAgree(dir);
        assertThat(KeyFiles.read(dir.resolve("key.pem")).getPublic()).isEqualTo(key.getPublic());
        assertThat(Files.getPosixFilePermissions(dir.resolve(".archive/1/key.pem")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void eachCommitIsANewVersionAndTheThreeNewestAreKept() throws Exception {
        KeyPair last = null;
        for (int i = 0; i < 5; i++) {
            last = commit(dir, true);
        }

        assertCertificateAndKeyAgree(dir);
        assertThat(KeyFiles.read(dir.resolve("key.pem")).getPublic()).isEqualTo(last.getPublic());
        assertThat(Files.readSymbolicLink(dir.resolve("current"))).isEqualTo(Path.of(".archive", "5"));
        assertThat(names(dir.resolve(".archive"))).containsExactly("3", "4", "5");
    }

    @Test
    void plainFilesOfAnEarlierLayoutAreMigratedIntoAVersionBeforeTheNewOneIsSwitchedIn() throws Exception {
        KeyPair old = KeyType.EC_P256.generate();
        X509Certificate oldCert = selfSigned(old);
        Files.writeString(dir.resolve("cert.pem"), pem(oldCert));
        Files.writeString(dir.resolve("chain.pem"), pem(oldCert));
        Files.write(dir.resolve("key.pem"), OutputFiles.pem(old));

        KeyPair fresh = commit(dir, true);

        assertCertificateAndKeyAgree(dir);
        assertThat(KeyFiles.read(dir.resolve("key.pem")).getPublic()).isEqualTo(fresh.getPublic());
        assertThat(Files.isSymbolicLink(dir.resolve("key.pem"))).isTrue();
        assertThat(CertificateFiles.leaf(dir.resolve(".archive/1/cert.pem"), "test")).as("the old files, archived")
                .isEqualTo(oldCert);
        assertThat(KeyFiles.read(dir.resolve(".archive/1/key.pem")).getPublic()).isEqualTo(old.getPublic());
    }

    @Test
    void aMigrationCutShortIsCompletedWithoutCertificateAndKeyEverDisagreeing() throws Exception {
        commit(dir, true);
        // As a kill in the middle of a migration leaves it: one name a plain file again, with the same content.
        byte[] key = Files.readAllBytes(dir.resolve("key.pem"));
        Files.delete(dir.resolve("key.pem"));
        Files.write(dir.resolve("key.pem"), key);
        assertCertificateAndKeyAgree(dir);

        commit(dir, true);

        assertCertificateAndKeyAgree(dir);
        assertThat(Files.isSymbolicLink(dir.resolve("key.pem"))).isTrue();
    }

    @Test
    void temporaryFilesAndVersionsAKilledRunLeftAreRemovedByTheNextRun() throws Exception {
        commit(dir, true);
        Path partialKey = dir.resolve(".key.pem." + UUID.randomUUID() + ".partial");
        Path tempLink = dir.resolve(".current." + UUID.randomUUID() + ".tmp");
        Files.writeString(partialKey, "-----BEGIN PRIVATE KEY-----\n");
        Files.createSymbolicLink(tempLink, Path.of(".archive", "2"));
        Files.createDirectories(dir.resolve(".archive/2"));
        Files.writeString(dir.resolve(".archive/2/cert.pem"), "half");
        ByteArrayOutputStream said = new ByteArrayOutputStream();

        OutputFiles files = OutputFiles.open(dir, new PrintStream(said, true));

        assertThat(partialKey).doesNotExist();
        assertThat(Files.exists(tempLink, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(said.toString()).contains("Removed 2 temporary file(s)");
        KeyPair key = KeyType.EC_P256.generate();
        files.commit(List.of(selfSigned(key)), Optional.of(key), CA, QUIET);
        assertThat(Files.readSymbolicLink(dir.resolve("current"))).as("a number after the abandoned version's")
                .isEqualTo(Path.of(".archive", "2"));
        assertCertificateAndKeyAgree(dir);
        assertThat(names(dir).stream().filter(n -> n.endsWith(".tmp") || n.endsWith(".partial"))).isEmpty();
    }

    @Test
    void aCertificateForTheCallersOwnKeyLeavesNoKeyLinkToAnOlderVersion() throws Exception {
        commit(dir, true);

        commit(dir, false);

        assertThat(Files.exists(dir.resolve("key.pem"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(dir.resolve("cert.pem")).isRegularFile();
    }

    private static String pem(X509Certificate certificate) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
    }
}
