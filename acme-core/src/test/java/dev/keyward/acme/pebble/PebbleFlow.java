package dev.keyward.acme.pebble;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.ChallengeSolver;
import dev.keyward.acme.Dns01Solver;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.IssuanceResult;
import dev.keyward.acme.testkit.PebbleServer;
import java.util.List;
import java.util.UUID;

/**
 * Builds issuance requests (RFC 8555 section 7.4) for the tests against the test kit's Pebble; every
 * issuance runs through {@link Account#issue(IssuanceRequest)}. http-01 is answered by the test kit's
 * responder on Pebble's http-01 port, dns-01 by its challenge test server.
 */
public final class PebbleFlow {
    /** How an authorization is answered. */
    public enum Method { HTTP01, DNS01 }

    private final PebbleServer pebble;

    public PebbleFlow(PebbleServer pebble) {
        this.pebble = pebble;
    }

    public AcmeClient client() {
        return AcmeClient.builder(pebble.directoryUri()).trustAnchors(pebble.trustAnchors()).build();
    }

    public static String uniqueName(String label) {
        return label + "-" + UUID.randomUUID().toString().substring(0, 8) + ".keyward.test";
    }

    public Account register(AcmeClient client, AcmeSigner accountKey) throws AcmeException {
        return client.newAccount(accountKey).agreeToTermsOfService().create();
    }

    /** The solver of {@code method} against this Pebble. */
    public ChallengeSolver solver(Method method) {
        return method == Method.HTTP01
                ? new ResponderSolver(pebble.http01Responder())
                : Dns01Solver.using(new ChallengeTestDns(pebble.dns()));
    }

    /** A request for the names with the certificate key, answered by {@code method}. */
    public IssuanceRequest.Builder request(List<String> names, Method method, AcmeSigner certificateKey) {
        return IssuanceRequest.builder().domains(names).certificateKey(certificateKey).solvers(solver(method));
    }

    public IssuanceResult issuance(Account account, List<String> names, Method method, AcmeSigner certificateKey)
            throws AcmeException {
        return account.issue(request(names, method, certificateKey).build());
    }

    public CertificateChain issue(Account account, List<String> names, Method method, AcmeSigner certificateKey)
            throws AcmeException {
        return issuance(account, names, method, certificateKey).chain();
    }
}
