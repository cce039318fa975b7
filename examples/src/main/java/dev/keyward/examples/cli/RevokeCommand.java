package dev.keyward.examples.cli;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.RevocationReason;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code revoke --cert FILE [--reason CODE] [--cert-key FILE]} (RFC 8555 section 7.6): signed by the
 * account key, or by the certificate's own key, which needs no account.
 */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = "Revoke a certificate, with the account key or the certificate's own key.")
final class RevokeCommand extends CliCommand {
    @Option(names = "--cert", paramLabel = "FILE", required = true, description = "the PEM certificate to revoke")
    Path certFile;

    @Option(names = "--reason", paramLabel = "CODE", converter = Reasons.Converter.class,
            description = "the RFC 5280 reason: 0-10 (not 7) or a name such as keyCompromise")
    RevocationReason reason;

    @Option(names = "--cert-key", paramLabel = "KEY",
            description = "sign with the certificate's key (a PEM file, pkcs11: URI or kms:KEY) instead of the account's")
    String certKey;

    @Override
    public Integer call() throws Exception {
        X509Certificate certificate = read(certFile);
        try (Environment env = Environment.open(global(), err()); AcmeClient client = env.client()) {
            if (certKey != null) {
                AcmeSigner key = env.keys().existingKey(certKey, "--cert-key");
                if (!key.publicKey().equals(certificate.getPublicKey())) {
                    throw new ConfigException("--cert-key is not the key of " + certFile);
                }
                client.revoke(certificate, key, reason);
            } else {
                client.findAccount(env.existingAccountKey()).revoke(certificate, reason);
            }
            out().println("revoked " + certificate.getSerialNumber().toString(16)
                    + (reason == null ? "" : " reason " + reason.code()));
            return Keyward.OK;
        }
    }

    private static X509Certificate read(Path file) throws ConfigException {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (java.io.IOException | CertificateException | ClassCastException e) {
            throw new ConfigException("cannot read a PEM certificate from " + file + ": " + e.getClass().getSimpleName(), e);
        }
    }
}
