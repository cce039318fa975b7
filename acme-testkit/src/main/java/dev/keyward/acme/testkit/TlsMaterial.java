package dev.keyward.acme.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
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
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The TLS identity of Pebble's listeners for one run: a fresh self-signed CA and a leaf for
 * {@code localhost}, {@code 127.0.0.1} and {@code ::1} signed by it, all on EC P-256 keys. Only the
 * CA certificate is meant to be trusted by clients.
 */
final class TlsMaterial {

    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final Duration LIFETIME = Duration.ofDays(30);
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private final X509Certificate caCertificate;
    private final Path caCertificateFile;
    private final Path certificateFile;
    private final Path privateKeyFile;

    private TlsMaterial(X509Certificate caCertificate, Path caCertificateFile, Path certificateFile,
            Path privateKeyFile) {
        this.caCertificate = caCertificate;
        this.caCertificateFile = caCertificateFile;
        this.certificateFile = certificateFile;
        this.privateKeyFile = privateKeyFile;
    }

    /**
     * Generates the CA and the leaf and writes {@code ca.pem}, {@code cert.pem} (leaf then CA) and
     * {@code key.pem} (the leaf's PKCS #8 key, readable by the owner only) into {@code directory}.
     */
    static TlsMaterial generate(Path directory) {
        try {
            SecureRandom random = new SecureRandom();
            Instant now = Instant.now();
            KeyPair caKeys = newKeyPair(random);
            KeyPair leafKeys = newKeyPair(random);
            X509Certificate ca = caCertificate(caKeys, now, random);
            X509Certificate leaf = leafCertificate(leafKeys.getPublic(), ca, caKeys.getPrivate(), now, random);

            Path caFile = write(directory.resolve("ca.pem"), Pem.encode(ca));
            Path certFile = write(directory.resolve("cert.pem"), Pem.encode(leaf) + Pem.encode(ca));
            Path keyFile = writePrivate(directory.resolve("key.pem"), pkcs8(leafKeys.getPrivate()));
            return new TlsMaterial(ca, caFile, certFile, keyFile);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate TLS material for Pebble", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write TLS material to " + directory, e);
        }
    }

    /** The self-signed CA that issued the listeners' certificate: the one trust anchor. */
    X509Certificate caCertificate() {
        return caCertificate;
    }

    /** The CA certificate as a PEM file. */
    Path caCertificateFile() {
        return caCertificateFile;
    }

    /** The listeners' certificate chain as a PEM file (Pebble's {@code certificate}). */
    Path certificateFile() {
        return certificateFile;
    }

    /** The listeners' private key as a PEM file (Pebble's {@code privateKey}). */
    Path privateKeyFile() {
        return privateKeyFile;
    }

    private static KeyPair newKeyPair(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    private static X509Certificate caCertificate(KeyPair keys, Instant now, SecureRandom random)
            throws GeneralSecurityException, CertIOException, OperatorCreationException {
        X500Name name = new X500Name("CN=Keyward test kit CA " + Long.toHexString(random.nextLong()));
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(random),
                Date.from(now.minus(BACKDATE)), Date.from(now.plus(LIFETIME)), name, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        extensions.createSubjectKeyIdentifier(keys.getPublic()));
        return sign(builder, keys.getPrivate());
    }

    private static X509Certificate leafCertificate(java.security.PublicKey leafKey, X509Certificate ca,
            PrivateKey caKey, Instant now, SecureRandom random)
            throws GeneralSecurityException, CertIOException, OperatorCreationException {
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        GeneralNames names = new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
            new GeneralName(GeneralName.iPAddress, "::1"),
        });
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(random),
                Date.from(now.minus(BACKDATE)), Date.from(now.plus(LIFETIME)), new X500Name("CN=localhost"), leafKey)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectAlternativeName, false, names)
                .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(leafKey))
                .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(ca));
        return sign(builder, caKey);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(issuerKey)));
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static String pkcs8(PrivateKey key) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        }
        return text.toString();
    }

    private static Path write(Path file, String text) throws IOException {
        return Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    private static Path writePrivate(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // The key is throwaway test material; a file system without POSIX permissions is acceptable.
        }
        return write(file, text);
    }
}
