package dev.keyward.examples;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Http01Server;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.IssuanceResult;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The README's code sample: a whole issuance (RFC 8555 section 7.4) in one call of the issuance
 * flow. The test suite runs it against Pebble and checks that README.md shows exactly this code.
 */
public final class QuickStart {
    private QuickStart() {
    }

    /**
     * Registers (or finds) the account of {@code accountKey}, proves control of the names over
     * http-01 from an embedded server and returns the certificate chain for {@code certificateKey}
     * with the valid order.
     *
     * @param client the client of the CA
     * @param accountKey the account key's signer
     * @param certificateKey the certificate key's signer
     * @param names the names to certify
     * @param http01Address where the CA's validator reaches port 80 of the names, for example
     *     {@code new InetSocketAddress(80)}
     * @return the certificate chain, leaf first, and the valid order
     * @throws AcmeException if the CA refuses or cannot be reached, or the port cannot be bound
     */
    public static IssuanceResult issue(AcmeClient client, AcmeSigner accountKey, AcmeSigner certificateKey,
                                       List<String> names, InetSocketAddress http01Address)
            throws AcmeException {
        // README-BEGIN
        Account account = client.newAccount(accountKey)
                .contact("mailto:admin@example.com")
                .agreeToTermsOfService()
                .create();
        try (Http01Server http01 = Http01Server.start(http01Address)) {
            return account.issue(IssuanceRequest.builder()
                    .domains(names)
                    .certificateKey(certificateKey)
                    .solvers(http01)
                    .build());
        }
        // README-END
    }
}
