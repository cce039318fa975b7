package dev.keyward.acme;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues a PEM chain the way an ACME CA serves {@code application/pem-certificate-chain}: leaf,
 * then intermediate. Built with BouncyCastle, independently of the code under test. Public for the
 * tests of {@code internal}.
 */
public final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(1000);

    private TestCertificates() {
    }

    /** A leaf for {@code leafKey} with the DNS names, issued by a fresh intermediate under a fresh root. */
    public static List<X509Certificate> chain(PublicKey leafKey, String... dnsNames) {
        KeyPair root = TestKeys.ec("secp256r1");
        KeyPair intermediate = TestKeys.ec("secp256r1");
        X509Certificate intermediateCert = issue("CN=Pebble Intermediate CA", intermediate.getPublic(),
                "CN=Pebble Root CA", root.getPrivate(), true);
        X509Certificate leaf = issue("", leafKey, "CN=Pebble Intermediate CA", intermediate.getPrivate(), false,
                dnsNames);
        return List.of(leaf, intermediateCert);
    }

    public static String pem(List<X509Certificate> certificates) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (X509Certificate c : certificates) {
                writer.writeObject(c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static X509Certificate issue(String subject, PublicKey key, String issuer, PrivateKey issuerKey,
                                         boolean ca, String... dnsNames) {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(90))), new X500Name(subject), key);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (dnsNames.length > 0) {
                GeneralName[] names = new GeneralName[dnsNames.length];
                for (int i = 0; i < dnsNames.length; i++) {
                    names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
                }
                b.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(names));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a test certificate", e);
        }
    }
}
