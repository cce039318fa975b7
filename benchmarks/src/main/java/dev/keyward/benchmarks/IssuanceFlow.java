package dev.keyward.benchmarks;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.ChallengeSolver;
import dev.keyward.acme.Http01Server;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.testkit.PebbleServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The issuance the {@code keyward issue} command runs: directory, {@code newAccount} agreeing to the
 * terms (which finds the account when the key has one), then the core's one-call flow
 * ({@code Account.issue}) with the caller's solver (the core's {@code Http01Server} on Pebble's http-01
 * port).
 */
final class IssuanceFlow {
    private IssuanceFlow() {
    }

    /**
     * The core's http-01 solver on Pebble's http-01 port, as {@code keyward issue --pebble} runs it.
     *
     * @param pebble the running Pebble
     * @return the started solver; close it
     * @throws AcmeException if the port cannot be bound
     */
    static Http01Server http01(PebbleServer pebble) throws AcmeException {
        return Http01Server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), pebble.http01Port()));
    }

    /**
     * Registers (or finds) the account of {@code accountKey} and issues a certificate for {@code domains}.
     *
     * @param client the client, fresh so that its directory and nonce pool are empty
     * @param solver answers Pebble's validation
     * @param accountKey the account's key
     * @param domains the names to certify
     * @param certificateKey the key to certify
     * @return the downloaded chain
     * @throws AcmeException if the CA refuses or cannot be reached
     */
    static CertificateChain issue(AcmeClient client, ChallengeSolver solver, AcmeSigner accountKey,
                                  List<String> domains, AcmeSigner certificateKey) throws AcmeException {
        client.fetchDirectory().meta().termsOfService();
        Account account = client.newAccount(accountKey).agreeToTermsOfService().create();
        return account.issue(IssuanceRequest.builder().domains(domains).certificateKey(certificateKey)
                .solvers(solver).build()).chain();
    }
}
