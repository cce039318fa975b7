package dev.keyward.acme;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway TLS server identity for {@code 127.0.0.1}: a self-signed EC P-256 certificate with
 * that IP address as its subject alternative name, in a PKCS #12 key store file that WireMock's
 * HTTPS listener loads. A client trusts it by taking {@link #certificate()} as its trust anchor;
 * certificate and host name verification stay on.
 */
final class TlsIdentity {
    static final String PASSWORD = "keyward-test";

    private final X509Certificate certificate;
    private final Path keyStore;

    private TlsIdentity(X509Certificate certificate, Path keyStore) {
        this.certificate = certificate;
        this.keyStore = keyStore;
    }

    /** Generates the key, the certificate and the key store (in a temporary file). */
    static TlsIdentity forLoopback() {
        try {
            KeyPair keys = TestKeys.ec("secp256r1");
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=127.0.0.1");
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                            Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                            name, keys.getPublic())
                            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                            .addExtension(Extension.extendedKeyUsage, false,
                                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                            .addExtension(Extension.subjectAlternativeName, false,
                                    new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")))
                            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", keys.getPrivate(), PASSWORD.toCharArray(), new Certificate[] {certificate});
            Path file = Files.createTempFile("keyward-wiremock-", ".p12");
            file.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, PASSWORD.toCharArray());
            }
            return new TlsIdentity(certificate, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the key store", e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate a TLS identity for 127.0.0.1", e);
        }
    }

    /** The server certificate, which is also the one trust anchor a client needs. */
    X509Certificate certificate() {
        return certificate;
    }

    /** The PKCS #12 key store holding key and certificate, protected by {@link #PASSWORD}. */
    Path keyStore() {
        return keyStore;
    }
}
