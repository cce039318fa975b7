package dev.keyward.examples.cli;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.RenewalInfo;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code renewal-info --cert FILE} (RFC 9773): the CA's suggested renewal window of the leaf of a
 * PEM file, a renewal time chosen at random within its part still ahead (section 4.2), and the
 * CA's explanation URL when it gives one. Times in RFC 3339 (UTC). A CA without ARI: exit 1.
 */
@Command(name = "renewal-info", mixinStandardHelpOptions = true,
        description = "Print the CA's suggested renewal window of a certificate (ARI, RFC 9773).")
final class RenewalInfoCommand extends CliCommand {
    @Option(names = "--cert", paramLabel = "FILE", required = true,
            description = "a PEM file whose first certificate is the one to ask about (cert.pem or chain.pem)")
    Path certFile;

    @Override
    public Integer call() throws Exception {
        X509Certificate leaf = CertificateFiles.leaf(certFile, "--cert");
        try {
            RenewalInfo.certificateId(leaf);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--cert " + certFile + ": " + e.getMessage(), e);
        }
        try (Environment env = Environment.open(global(), err()); AcmeClient client = env.client()) {
            RenewalInfo info = client.fetchRenewalInfo(leaf);
            Instant now = env.clock().now();
            out().println("start: " + rfc3339(info.windowStart()));
            out().println("end: " + rfc3339(info.windowEnd()));
            out().println("renew at: " + rfc3339(info.chooseRenewalTime(now, new SecureRandom())));
            info.explanationUrl().ifPresent(url -> out().println("explanation: " + ExitCodes.escape(url.toString())));
            return Keyward.OK;
        }
    }

    static String rfc3339(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
