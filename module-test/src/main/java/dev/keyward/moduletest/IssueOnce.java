package dev.keyward.moduletest;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Http01Server;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.Signers;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Issues one certificate (RFC 8555 section 7.4) with an http-01 answer on the loopback address, as a
 * modular application would, and writes its chain.
 *
 * <p>Arguments: directory URL, PEM file of the CA's TLS trust anchors, http-01 port, domain name,
 * file to write the chain PEM to. Prints the modules it ran with and the time the issuance took;
 * exits 0 when the chain was written, 1 when the CA refused or could not be reached.
 */
public final class IssueOnce {
    private IssueOnce() {
    }

    /**
     * Runs one issuance.
     *
     * @param args directory URL, trust anchor PEM file, http-01 port, domain name, output PEM file
     * @throws Exception on a local fault (unreadable trust anchors, unwritable output)
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: IssueOnce DIRECTORY_URL TRUST_PEM HTTP01_PORT DOMAIN OUT_PEM");
            System.exit(2);
        }
        System.out.println("modules: " + modules());
        long start = System.nanoTime();
        try (AcmeClient client = AcmeClient.builder(URI.create(args[0])).trustAnchors(anchors(Path.of(args[1])))
                .build();
             Http01Server solver = Http01Server.start(
                     new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[2])))) {
            Account account = client.newAccount(ecP256()).agreeToTermsOfService().create();
            CertificateChain chain = account.issue(IssuanceRequest.builder().domains(args[3])
                    .certificateKey(ecP256()).solvers(solver).build()).chain();
            Files.writeString(Path.of(args[4]), chain.pem(), StandardCharsets.US_ASCII);
            System.out.printf("issued a certificate for %s in %d ms%n", args[3], (System.nanoTime() - start) / 1_000_000);
        } catch (AcmeException e) {
            System.err.println("issuance failed: " + e.getMessage());
            System.exit(1);
        }
    }

    /** The named modules of the boot layer that are not the JDK's, with the class path's unnamed one. */
    private static String modules() {
        String named = ModuleLayer.boot().modules().stream().map(Module::getName)
                .filter(n -> !n.startsWith("java.") && !n.startsWith("jdk.")).sorted()
                .collect(Collectors.joining(","));
        return named + "; application class path: [" + System.getProperty("java.class.path", "") + "]"
                + "; this class in " + IssueOnce.class.getModule();
    }

    private static List<X509Certificate> anchors(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> anchors = new ArrayList<>();
            CertificateFactory.getInstance("X.509").generateCertificates(in)
                    .forEach(c -> anchors.add((X509Certificate) c));
            return anchors;
        }
    }

    private static dev.keyward.acme.AcmeSigner ecP256() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        return Signers.jca(pair.getPrivate(), pair.getPublic());
    }
}
