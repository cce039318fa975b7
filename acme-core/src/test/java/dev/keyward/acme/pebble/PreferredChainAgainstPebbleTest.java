package dev.keyward.acme.pebble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Http01Server;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.IssuanceResult;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The issuance flow returns the chain that leads to a preferred issuer (RFC 8555 section 7.4.2),
 * from a Pebble with three roots, falling back to the default chain.
 */
class PreferredChainAgainstPebbleTest {
    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder()
            .server(PebbleServer.builder().alternateRoots(2).authorizationReusePercent(0)).build();

    @Test
    void theChainOfThePreferredRootIsReturnedWhetherDefaultOrAlternate() throws Exception {
        List<X509Certificate> roots = pebble.server().rootCertificates();
        assertThat(roots).hasSize(3);
        for (X509Certificate root : roots) {
            String rootName = commonName(root.getSubjectX500Principal());

            CertificateChain chain = issue(IssuanceRequest.builder().preferredChain(rootName)).chain();

            assertThat(chain.chainsTo(rootName)).as("chain for %s", rootName).isTrue();
            assertThat(commonName(chain.certificates().get(chain.certificates().size() - 1).getIssuerX500Principal()))
                    .isEqualTo(rootName);
        }
    }

    @Test
    void anUnknownIssuerFallsBackToTheDefaultChain() throws Exception {
        IssuanceResult result = issue(IssuanceRequest.builder().preferredChain("No Such Root"));

        assertThat(result.chain().url()).isEqualTo(result.order().certificateUrl().orElseThrow());
        assertThat(result.chain().alternateUrls()).hasSize(2);
    }

    private IssuanceResult issue(IssuanceRequest.Builder request) throws Exception {
        PebbleFlow flow = new PebbleFlow(pebble.server());
        try (AcmeClient client = flow.client();
             Http01Server http = Http01Server.start(new InetSocketAddress("127.0.0.1", pebble.server().http01Port()))) {
            Account account = flow.register(client, TestKeys.ecP256());
            return account.issue(request.domains(PebbleFlow.uniqueName("chain"))
                    .certificateKey(TestKeys.ecP256()).solvers(http).build());
        }
    }

    private static String commonName(X500Principal principal) {
        return IETFUtils.valueToString(X500Name.getInstance(principal.getEncoded()).getRDNs(BCStyle.CN)[0]
                .getFirst().getValue());
    }
}
