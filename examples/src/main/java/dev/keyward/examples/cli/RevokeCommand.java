package dev.keyward.examples.cli;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.RevocationReason;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * {@code revoke --cert FILE [--reason CODE] [--cert-key FILE]} (RFC 8555 section 7.6): signed by the
 * account key, or by the certificate's own key, which needs no account.
 */
final class RevokeCommand {
    private RevokeCommand() {
    }

    static int run(Args args, PrintStream out, PrintStream err) throws UsageException, ConfigException, AcmeException {
        Path certFile = Path.of(args.value("--cert").orElseThrow(() -> new UsageException("revoke needs --cert FILE")));
        RevocationReason reason = args.value("--reason").isPresent() ? Reasons.parse(args.value("--reason").get()) : null;
        Optional<String> certKey = args.value("--cert-key");
        X509Certificate certificate = read(certFile);
        try (Environment env = Environment.open(args, err); AcmeClient client = env.client()) {
            if (certKey.isPresent()) {
                AcmeSigner key = Keys.existingKey(certKey.get(), "--cert-key");
                if (!key.publicKey().equals(certificate.getPublicKey())) {
                    throw new ConfigException("--cert-key is not the key of " + certFile);
                }
                client.revoke(certificate, key, reason);
            } else {
                client.findAccount(Keys.existingAccountKey(args.value("--account-key"), err)).revoke(certificate, reason);
            }
            out.println("revoked " + certificate.getSerialNumber().toString(16)
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
