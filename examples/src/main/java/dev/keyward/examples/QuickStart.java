package dev.keyward.examples;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Authorization;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Http01Challenge;
import dev.keyward.acme.Order;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The README's code sample: a whole issuance (RFC 8555 section 7.4) in a dozen lines. The test
 * suite runs it against Pebble and checks that README.md shows exactly this code.
 */
public final class QuickStart {
    private QuickStart() {
    }

    /**
     * Registers (or finds) the account of {@code accountKey}, proves control of the names over
     * http-01 and returns the certificate chain for {@code certificateKey}.
     *
     * @param client the client of the CA
     * @param accountKey the account key's signer
     * @param certificateKey the certificate key's signer
     * @param names the names to certify
     * @param webServer publishes a body at a path on port 80 of each name
     * @return the certificate chain, leaf first
     * @throws AcmeException if the CA refuses or cannot be reached
     */
    public static CertificateChain issue(AcmeClient client, AcmeSigner accountKey, AcmeSigner certificateKey,
                                         List<String> names, BiConsumer<String, String> webServer)
            throws AcmeException {
        // README-BEGIN
        Account account = client.newAccount(accountKey)
                .contact("mailto:admin@example.com")
                .agreeToTermsOfService()
                .create();
        Order order = account.newOrder().domains(names).create();
        for (Authorization authorization : order.fetchAuthorizations()) {
            Http01Challenge challenge = authorization.challenge(Http01Challenge.class).orElseThrow();
            webServer.accept(challenge.path(), challenge.keyAuthorization());
            challenge.respond();
            authorization.awaitCompletion();
        }
        CertificateChain chain = order.finalizeWith(certificateKey)
                .awaitCompletion()
                .downloadCertificate();
        // README-END
        return chain;
    }
}
