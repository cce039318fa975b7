package dev.keyward.acme.pebble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Order;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Alternate chains (RFC 8555 section 7.4.2, {@code Link: rel="alternate"}) from a Pebble with two roots. */
class AlternateChainsAgainstPebbleTest {
    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder()
            .server(PebbleServer.builder().alternateRoots(1)).build();

    @Test
    void everyChainTheCaOffersIsDownloadedWithTheSameLeafAndOtherIssuers() throws Exception {
        PebbleFlow flow = new PebbleFlow(pebble.server());
        try (AcmeClient client = flow.client()) {
            Account account = flow.register(client, TestKeys.ecP256());
            AcmeSigner certificateKey = TestKeys.ecP256();
            Order valid = flow.issuance(account, List.of(PebbleFlow.uniqueName("alt")), PebbleFlow.Method.HTTP01,
                    certificateKey).order();

            List<CertificateChain> chains = valid.downloadCertificates();

            assertThat(chains).hasSize(2);
            assertThat(chains.get(0).alternateUrls()).hasSize(1).containsExactly(chains.get(1).url());
            assertThat(chains.get(1).leaf().getPublicKey()).isEqualTo(certificateKey.publicKey());
            assertThat(chains.get(1).leaf().getSerialNumber()).isEqualTo(chains.get(0).leaf().getSerialNumber());
            assertThat(chains.get(1).issuers().get(0)).isNotEqualTo(chains.get(0).issuers().get(0));
            chains.get(1).leaf().verify(chains.get(1).issuers().get(0).getPublicKey());
        }
    }
}
