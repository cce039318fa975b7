package dev.keyward.acme.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Signers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStorageTest {
    @TempDir
    Path dir;

    private final AcmeCa ca = AcmeCa.builder(java.net.URI.create("https://ca.test/dir")).build();

    @Test
    void storesAndLoadsValuesAndListsADirectory() throws Exception {
        CertificateStorage storage = CertificateStorage.files(dir);
        storage.store("certificates/www/certificate.pem", "one".getBytes(StandardCharsets.US_ASCII), false);
        storage.store("certificates/www/order.properties", "two".getBytes(StandardCharsets.US_ASCII), false);

        assertThat(storage.load("certificates/www/certificate.pem")).hasValueSatisfying(v -> assertThat(v).asString().isEqualTo("one"));
        assertThat(storage.load("certificates/api/certificate.pem")).isEmpty();
        assertThat(storage.list("certificates/www"))
                .containsExactly("certificates/www/certificate.pem", "certificates/www/order.properties");
        storage.delete("certificates/www/order.properties");
        storage.delete("certificates/www/order.properties");
        assertThat(storage.list("certificates/www")).containsExactly("certificates/www/certificate.pem");
    }

    @Test
    void secretValuesAreReadableByTheOwnerOnlyAndDirectoriesToo() throws Exception {
        CertificateStorage storage = CertificateStorage.files(dir.resolve("root"));
        storage.store("certificates/www/key-00.pem", new byte[] {1}, true);
        storage.store("certificates/www/certificate.pem", new byte[] {2}, false);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("root/certificates/www/key-00.pem"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("root/certificates/www/certificate.pem"))))
                .isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("root/certificates"))))
                .isEqualTo("rwx------");
    }

    @Test
    void aStoreReplacesTheValueAtomicallyAndLeavesNoTemporaryFile() throws Exception {
        CertificateStorage storage = CertificateStorage.files(dir);
        storage.store("a/b", "old".getBytes(StandardCharsets.US_ASCII), false);
        storage.store("a/b", "new".getBytes(StandardCharsets.US_ASCII), false);

        assertThat(storage.load("a/b").orElseThrow()).asString().isEqualTo("new");
        try (var files = Files.list(dir.resolve("a"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("b");
        }
    }

    @Test
    void aCrashMidWriteLeavesThePreviousCertificateServed() throws Exception {
        CertificateStorage storage = CertificateStorage.files(dir);
        SetStore store = new SetStore(storage);
        CertificateSet set = CertificateSet.builder("www").domains("www.example.test").ca(ca).build();
        CertificateKey key = CertificateKey.generate(KeySource.ecP256());
        X509Certificate old = TestCertificates.leaf("www.example.test", key.signer.publicKey(), Instant.now(),
                Instant.now().plus(Duration.ofDays(90)));
        store.saveKey("www", key);
        store.saveCertificate("www", List.of(old), key);
        // a renewal that crashed: its new key written, its certificate only half written to a temp file
        CertificateKey next = CertificateKey.generate(KeySource.ecP256());
        store.saveKey("www", next);
        Path half = dir.resolve("certificates/www/certificate.pem" + FileStorage.TEMP_MARKER + "1234");
        Files.writeString(half, "-----BEGIN CERTIFICATE-----\nMIIB");

        Optional<ManagedCertificate> loaded = new SetStore(CertificateStorage.files(dir)).load(set);

        assertThat(loaded).isPresent();
        assertThat(loaded.get().leaf()).isEqualTo(old);
        assertThat(loaded.get().privateKey()).isEqualTo(key.tlsKey);
        assertThat(storage.list("certificates/www")).as("the temp file is cleaned up, never read")
                .noneMatch(k -> k.contains(FileStorage.TEMP_MARKER));
        assertThat(Files.exists(half)).isFalse();
    }

    @Test
    void anHsmKeyIsStoredAsAReferenceAndLoadsBackWithoutKeyMaterial() throws Exception {
        KeyPair pair = TestCertificates.ec();
        AcmeSigner hsm = Signers.jca(pair.getPrivate(), pair.getPublic());
        CertificateSet set = CertificateSet.builder("hsm").domains("hsm.example.test").ca(ca)
                .keySource(KeySource.external("pkcs11:token=web;object=tls-2026", hsm, pair.getPrivate())).build();
        SetStore store = new SetStore(CertificateStorage.files(dir));
        CertificateKey key = CertificateKey.external(set.keySource());
        X509Certificate leaf = TestCertificates.leaf("hsm.example.test", pair.getPublic(), Instant.now(),
                Instant.now().plus(Duration.ofDays(90)));
        store.saveKey("hsm", key);
        store.saveCertificate("hsm", List.of(leaf), key);

        Path ref = dir.resolve("certificates/hsm/key-" + key.fingerprint + ".ref");
        String text = Files.readString(ref);
        assertThat(text).contains("reference=pkcs11:token=web;object=tls-2026").contains("BEGIN PUBLIC KEY")
                .doesNotContain("PRIVATE KEY");
        try (var files = Files.list(dir.resolve("certificates/hsm"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".pem") && n.startsWith("key-"));
        }
        ManagedCertificate loaded = store.load(set).orElseThrow();
        assertThat(loaded.keyReference()).contains("pkcs11:token=web;object=tls-2026");
        assertThat(loaded.privateKey()).isSameAs(pair.getPrivate());

        java.security.KeyPair another = TestCertificates.ec();
        CertificateSet otherKey = CertificateSet.builder("hsm").domains("hsm.example.test").ca(ca)
                .keySource(KeySource.external("pkcs11:token=web;object=tls-2027",
                        Signers.jca(another.getPrivate(), another.getPublic()))).build();
        assertThat(store.load(otherKey)).as("a set now naming another key does not take the old certificate").isEmpty();
    }

    @Test
    void keysOutsideTheLayoutAreRefused() throws Exception {
        CertificateStorage storage = CertificateStorage.files(dir);

        assertThatThrownBy(() -> storage.load("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.store("/abs", new byte[0], false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLockOfANameIsHeldByOneAtATimeWithALargerFencingTokenEachTime() throws Exception {
        CertificateStorage storage = CertificateStorage.files(dir);
        StorageLock first = storage.tryLock("certificates/www").orElseThrow();

        assertThat(storage.tryLock("certificates/www")).as("held").isEmpty();
        StorageLock other = storage.tryLock("certificates/api").orElseThrow();
        other.close();
        first.store("certificates/www/certificate.pem", new byte[] {1}, false);
        first.close();
        first.close();
        StorageLock second = storage.tryLock("certificates/www").orElseThrow();

        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
        assertThat(storage.load("certificates/www/certificate.pem")).hasValueSatisfying(v -> assertThat(v).containsExactly(1));
        assertThatThrownBy(() -> first.store("certificates/www/certificate.pem", new byte[] {2}, false))
                .isInstanceOf(LockLostException.class).hasMessageContaining("certificates/www");
        assertThatThrownBy(() -> first.delete("certificates/www/certificate.pem")).isInstanceOf(LockLostException.class);
        assertThat(storage.load("certificates/www/certificate.pem")).hasValueSatisfying(v -> assertThat(v).containsExactly(1));
        second.close();
    }
}
