package dev.keyward.acme.pebble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeForeignUrlException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.Order;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every fetch by a caller's URL refuses a URL off the CA's origin before signing: account by URL,
 * order by URL (and a resumed issuance), authorization by URL. Pebble's log shows nothing was sent.
 * The CA's own URLs still work.
 */
class ForeignUrlAgainstPebbleTest extends AgainstPebble {
    private static long logSize() throws Exception {
        return Files.size(pebble.server().workDirectory().resolve("pebble.log"));
    }

    /** The same path on another port of the same host: another origin. */
    private static URI elsewhere(URI url) {
        return URI.create(url.toString().replace(":" + url.getPort() + "/", ":" + (url.getPort() + 1) + "/"));
    }

    @Test
    void eachFetchByUrlRefusesAnotherOriginAndSendsNothing() throws Exception {
        AcmeSigner key = TestKeys.ecP256();
        Account account = flow.register(client, key);
        Order order = account.newOrder().domains("foreign-" + System.nanoTime() + ".keyward.test").create();
        URI authorization = order.authorizationUrls().get(0);
        long before = logSize();

        assertThatThrownBy(() -> account.fetchOrder(elsewhere(order.url()))).isInstanceOf(AcmeForeignUrlException.class);
        assertThatThrownBy(() -> account.fetchAuthorization(elsewhere(authorization)))
                .isInstanceOf(AcmeForeignUrlException.class);
        assertThatThrownBy(() -> account.fetchAuthorization(URI.create("https://evil.keyward.test/authz/1")))
                .isInstanceOf(AcmeForeignUrlException.class);
        assertThatThrownBy(() -> client.fetchAccount(elsewhere(account.url()), key))
                .isInstanceOf(AcmeForeignUrlException.class);
        assertThatThrownBy(() -> client.requireCaOrigin(elsewhere(authorization)))
                .isInstanceOf(AcmeForeignUrlException.class);
        assertThatThrownBy(() -> account.issue(IssuanceRequest.builder().domains(order.identifiers().get(0).value())
                .certificateKey(TestKeys.ecP256()).resumeOrder(elsewhere(order.url())).build()))
                .isInstanceOf(AcmeForeignUrlException.class);

        assertThat(logSize()).as("nothing reached Pebble").isEqualTo(before);
        assertThat(account.fetchOrder(order.url()).url()).isEqualTo(order.url());
        assertThat(account.fetchAuthorization(authorization).url()).isEqualTo(authorization);
        assertThat(client.requireCaOrigin(authorization)).isEqualTo(authorization);
    }
}
