package dev.keyward.acme.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.ContainmentReport;
import dev.keyward.acme.Http01Server;
import dev.keyward.acme.Identifier;
import dev.keyward.acme.Order;
import dev.keyward.acme.Status;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CertificateManager#contain}: after a suspected compromise of the manager's account key,
 * every set of that CA is served a new certificate with a new key, ordered by a new account, and
 * the old account is contained (its certificates revoked, the account deactivated), against Pebble.
 */
class ContainmentReissuanceTest {
    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.builder()
            .server(PebbleServer.builder().authorizationReusePercent(0)).build();

    @TempDir
    Path storageDirectory;

    @Test
    void afterContainmentEverySetIsServedANewCertificateWithANewKeyUnderANewAccountAndTheOldAccountIsDeactivated()
            throws Exception {
        PebbleServer pebble = PEBBLE.server();
        AcmeCa ca = AcmeCa.builder(pebble.directoryUri()).trustAnchors(pebble.trustAnchors())
                .agreeToTermsOfService().build();
        RecordingListener events = new RecordingListener();
        try (Http01Server http = Http01Server.start(new InetSocketAddress("127.0.0.1", pebble.http01Port()));
             CertificateManager manager = CertificateManager.builder()
                     .storage(CertificateStorage.files(storageDirectory))
                     .add(CertificateSet.builder("www").domains("www.contain.test").ca(ca).solvers(http).build())
                     .add(CertificateSet.builder("api").domains("api.contain.test").ca(ca).solvers(http).build())
                     .backgroundScheduling(false)
                     .eventListener(events)
                     .build();
             AcmeClient client = AcmeClient.builder(pebble.directoryUri()).trustAnchors(pebble.trustAnchors()).build()) {
            manager.start();
            Map<String, X509Certificate> before = new HashMap<>();
            for (String set : manager.setNames()) {
                before.put(set, manager.certificate(set).orElseThrow().leaf());
            }
            URI oldAccount = storedAccountUrl(ca);

            ContainmentReport report = manager.contain(ca, true);

            assertThat(report.complete()).as(report.toString()).isTrue();
            assertThat(report.account().orElseThrow().url()).isEqualTo(oldAccount);
            assertThat(report.account().orElseThrow().status()).isEqualTo(Status.DEACTIVATED);
            URI newAccountUrl = storedAccountUrl(ca);
            assertThat(newAccountUrl).isNotEqualTo(oldAccount);
            assertThat(events.named("account-replaced")).containsExactly(
                    "account-replaced " + oldAccount + " -> " + newAccountUrl);

            Account newAccount = client.findAccount(storedAccountKey(ca));
            assertThat(newAccount.url()).isEqualTo(newAccountUrl);
            List<String> orderedByNewAccount = new ArrayList<>();
            for (URI orderUrl : newAccount.fetchOrderUrls()) {
                Order order = newAccount.fetchOrder(orderUrl);
                if (order.status() == Status.VALID) {
                    order.identifiers().stream().map(Identifier::value).forEach(orderedByNewAccount::add);
                }
            }
            assertThat(orderedByNewAccount).containsExactlyInAnyOrder("www.contain.test", "api.contain.test");

            for (String set : manager.setNames()) {
                X509Certificate old = before.get(set);
                X509Certificate served = manager.certificate(set).orElseThrow().leaf();
                PublicKey servedKey = served.getPublicKey();
                assertThat(served.getSerialNumber()).as(set).isNotEqualTo(old.getSerialNumber());
                assertThat(servedKey).as("a new key for " + set).isNotEqualTo(old.getPublicKey());
                assertThat(pebble.isRevoked(old.getSerialNumber())).as("the old certificate of " + set).isTrue();
                assertThat(pebble.isRevoked(served.getSerialNumber())).as("the new certificate of " + set).isFalse();
            }
        }
    }

    private URI storedAccountUrl(AcmeCa ca) throws Exception {
        String text = Files.readString(storageDirectory.resolve(SetStore.caDirectory(ca.directoryUrl()))
                .resolve("account.properties"), StandardCharsets.UTF_8);
        return URI.create(text.lines().filter(l -> l.startsWith("account=")).findFirst().orElseThrow().substring(8));
    }

    private AcmeSigner storedAccountKey(AcmeCa ca) throws Exception {
        byte[] pem = Files.readAllBytes(storageDirectory.resolve(SetStore.caDirectory(ca.directoryUrl()))
                .resolve("account-key.pem"));
        return CertificateKey.readGenerated(pem).signer;
    }
}
