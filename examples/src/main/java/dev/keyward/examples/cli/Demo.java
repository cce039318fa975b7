package dev.keyward.examples.cli;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Http01Server;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.Signers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;

/**
 * {@code keyward demo}: starts a local Pebble, registers an account, issues a certificate for two
 * names over http-01 with the library's flow, prints what it got, and stops Pebble.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start Pebble, issue a certificate, stop Pebble.")
final class Demo extends CliCommand {
    /** The names the demo certifies, in sorted order as printed. */
    static final List<String> NAMES = List.of("demo.keyward.test", "www.demo.keyward.test");

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        try (Environment env = Environment.open(global(), err(), true); AcmeClient client = env.client()) {
            Http01Server solver = Solvers.http01(env,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), env.pebble().orElseThrow().http01Port()));
            Account account = new AccountRegistrar(client, env, err()).register(env.accountKey(), List.of(),
                    Optional.empty());
            out().println("Account:  " + ExitCodes.escape(account.url().toString()));
            KeyPair certificateKey = KeyType.EC_P256.generate();
            CertificateChain chain = account.issue(IssuanceRequest.builder().domains(NAMES)
                    .certificateKey(Signers.jca(certificateKey.getPrivate(), certificateKey.getPublic()))
                    .solvers(solver).listener(new IssueProgress(err(), order -> { }, () -> { }))
                    .deadline(env.timeLeft("the issuance")).build()).chain();
            X509Certificate leaf = chain.leaf();
            out().println("Names:    " + String.join(", ", subjectNames(leaf).stream().sorted().toList()));
            out().println("Issuer:   " + leaf.getIssuerX500Principal().getName());
            out().println("Valid:    " + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant());
            out().println("Chain:    " + chain.certificates().size() + " certificates");
            out().printf("Issued in %d ms against a local Pebble; stopping it.%n", (System.nanoTime() - start) / 1_000_000);
            return Keyward.OK;
        }
    }

    static List<String> subjectNames(X509Certificate certificate) throws ConfigException {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    names.add(String.valueOf(san.get(1)));
                }
            }
        } catch (CertificateParsingException e) {
            throw new ConfigException("cannot read the certificate's names", e);
        }
        return names;
    }
}
