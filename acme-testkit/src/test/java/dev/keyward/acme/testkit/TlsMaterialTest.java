package dev.keyward.acme.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsMaterialTest {

    @TempDir
    Path directory;

    @Test
    void theLeafCoversLocalhostAndBothLoopbackAddressesAndIsSignedByTheCa() throws Exception {
        TlsMaterial tls = TlsMaterial.generate(directory);
        List<X509Certificate> chain = Pem.certificates(Files.readString(tls.certificateFile()));
        X509Certificate leaf = chain.get(0);

        assertThat(chain).hasSize(2).endsWith(tls.caCertificate());
        leaf.verify(tls.caCertificate().getPublicKey());
        assertThat(leaf.getSubjectAlternativeNames()).extracting(name -> (Object) name.get(1))
                .containsExactlyInAnyOrder("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getPublicKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void theKeyIsAPkcs8PemReadableOnlyByItsOwner() throws Exception {
        TlsMaterial tls = TlsMaterial.generate(directory);

        assertThat(Files.readString(tls.privateKeyFile())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.privateKeyFile())))
                .isEqualTo("rw-------");
        assertThat(Pem.certificates(Files.readString(tls.caCertificateFile()))).containsExactly(tls.caCertificate());
    }

    @Test
    void everyRunGetsItsOwnCa(@TempDir Path other) {
        assertThat(TlsMaterial.generate(directory).caCertificate())
                .isNotEqualTo(TlsMaterial.generate(other).caCertificate());
    }
}
