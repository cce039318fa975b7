package dev.keyward.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

/** Reads the leaf (the first certificate) of a PEM file such as {@code cert.pem} or {@code chain.pem}. */
final class CertificateFiles {
    private CertificateFiles() {
    }

    static X509Certificate leaf(Path file, String option) throws ConfigException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (all.isEmpty()) {
                throw new ConfigException(option + ": no certificate in " + file);
            }
            return (X509Certificate) all.iterator().next();
        } catch (IOException | CertificateException | ClassCastException e) {
            throw new ConfigException(option + ": cannot read a PEM certificate from " + file + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }
}
