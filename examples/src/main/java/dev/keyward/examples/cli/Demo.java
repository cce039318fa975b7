package dev.keyward.examples.cli;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Signers;
import java.io.PrintStream;
import java.security.KeyPair;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * {@code keyward demo}: starts a local Pebble, registers an account, issues a certificate for two
 * names over http-01, prints what it got, and stops Pebble.
 */
final class Demo {
    /** The names the demo certifies, in sorted order as printed. */
    static final List<String> NAMES = List.of("demo.keyward.test", "www.demo.keyward.test");

    private Demo() {
    }

    static int run(Args args, PrintStream out, PrintStream err)
            throws UsageException, ConfigException, AcmeException, InterruptedException {
        long start = System.nanoTime();
        try (Environment env = Environment.open(args, err, true); AcmeClient client = env.client();
             ChallengeSolver solver = Http01Solver.using(env.pebble().orElseThrow().http01Responder())) {
            Issuance issuance = new Issuance(client, err, env.deadline());
            Account account = issuance.account(env.accountKey(), List.of(), java.util.Optional.empty());
            out.println("Account:  " + account.url());
            KeyPair certificateKey = KeyType.EC_P256.generate();
            CertificateChain chain = issuance.issue(account, NAMES, solver,
                    Signers.jca(certificateKey.getPrivate(), certificateKey.getPublic())).chain;
            X509Certificate leaf = chain.leaf();
            out.println("Names:    " + String.join(", ", subjectNames(leaf).stream().sorted().toList()));
            out.println("Issuer:   " + leaf.getIssuerX500Principal().getName());
            out.println("Valid:    " + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant());
            out.println("Chain:    " + chain.certificates().size() + " certificates");
            out.printf("Issued in %d ms against a local Pebble; stopping it.%n", (System.nanoTime() - start) / 1_000_000);
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
