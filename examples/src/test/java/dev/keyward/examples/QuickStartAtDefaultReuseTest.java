package dev.keyward.examples;

import static dev.keyward.examples.QuickStartTest.client;
import static dev.keyward.examples.QuickStartTest.ecKey;
import static dev.keyward.examples.QuickStartTest.http01Address;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.IssuanceResult;
import dev.keyward.acme.Status;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's code sample against the test kit's default Pebble, which reuses half the authorizations. */
class QuickStartAtDefaultReuseTest {
    @RegisterExtension
    static PebbleExtension defaultPebble = new PebbleExtension();

    @Test
    void theReadmeSampleIssuesAtPebblesDefaultAuthorizationReuse() throws Exception {
        PebbleServer pebble = defaultPebble.server();
        List<String> names = List.of("default.quickstart.keyward.test", "www.default.quickstart.keyward.test");
        AcmeSigner certificateKey = ecKey();

        try (AcmeClient client = client(pebble)) {
            IssuanceResult result = QuickStart.issue(client, ecKey(), certificateKey, names, http01Address(pebble));

            assertThat(result.chain().leaf().getPublicKey()).isEqualTo(certificateKey.publicKey());
            assertThat(result.chain().leaf().getSubjectAlternativeNames()).hasSize(2);
            assertThat(result.order().status()).isEqualTo(Status.VALID);
        }
    }

}
