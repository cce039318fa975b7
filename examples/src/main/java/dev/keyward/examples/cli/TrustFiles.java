package dev.keyward.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Loads CA certificates to trust from a PEM file or a PKCS#12 trust store (empty password). */
final class TrustFiles {
    private TrustFiles() {
    }

    static List<X509Certificate> read(Path file) throws ConfigException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".p12") || name.endsWith(".pfx")) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(file)) {
                    ks.load(in, new char[0]);
                }
                List<X509Certificate> out = new ArrayList<>();
                for (String alias : Collections.list(ks.aliases())) {
                    Certificate c = ks.getCertificate(alias);
                    if (c instanceof X509Certificate) {
                        out.add((X509Certificate) c);
                    }
                }
                return nonEmpty(out, file);
            }
            try (InputStream in = Files.newInputStream(file)) {
                List<X509Certificate> out = new ArrayList<>();
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    out.add((X509Certificate) c);
                }
                return nonEmpty(out, file);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("cannot read trusted certificates from " + file + ": "
                    + IoWords.reason(e), e);
        }
    }

    private static List<X509Certificate> nonEmpty(List<X509Certificate> certificates, Path file) throws ConfigException {
        if (certificates.isEmpty()) {
            throw new ConfigException(file + " holds no certificate");
        }
        return certificates;
    }
}
