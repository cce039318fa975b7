package dev.keyward.acme.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PebbleIssuanceTest {

    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder().build();

    @Test
    void pebbleFetchesTheHttp01TokenThreeTimesFromTheResponderAndIssuesACertificateSignedByItsIntermediate(PebbleServer server)
            throws Exception {
        TestAcmeClient client = TestAcmeClient.register(server);
        TestAcmeClient.Order order = client.newOrder("http.example.test");
        TestAcmeClient.Challenge challenge = client.challenge(order, "http-01");
        Http01Responder responder = server.http01Responder();
        responder.serve(challenge.token(), client.keyAuthorization(challenge.token()));

        client.respond(challenge);

        assertThat(responder.awaitFetch(challenge.token(), Duration.ofSeconds(20))).isTrue();
        TestAcmeClient.Order ready = client.awaitOrder(order, Set.of("ready", "invalid"));
        assertThat(TestAcmeClient.string(ready.body(), "status")).isEqualTo("ready");
        assertThat(responder.fetchCount(challenge.token())).isEqualTo(3);
        List<X509Certificate> chain = client.finalizeAndDownload(ready, "http.example.test");
        X509Certificate leaf = chain.get(0);
        leaf.verify(server.intermediateCertificates().get(0).getPublicKey());
        assertThat(leaf.getSubjectAlternativeNames()).extracting(name -> (Object) name.get(1)).containsExactly("http.example.test");
    }

    @Test
    void pebbleValidatesDns01ThroughTheChallengeTestServerAndReportsRevocationOnItsManagementPort(PebbleServer server)
            throws Exception {
        TestAcmeClient client = TestAcmeClient.register(server);
        TestAcmeClient.Order order = client.newOrder("dns.example.test");
        TestAcmeClient.Challenge challenge = client.challenge(order, "dns-01");
        server.dns().setTxt("_acme-challenge.dns.example.test", client.dnsDigest(challenge.token()));

        client.respond(challenge);
        TestAcmeClient.Order ready = client.awaitOrder(order, Set.of("ready", "invalid"));
        assertThat(TestAcmeClient.string(ready.body(), "status")).isEqualTo("ready");
        X509Certificate leaf = client.finalizeAndDownload(ready, "dns.example.test").get(0);

        String serial = leaf.getSerialNumber().toString(16);
        assertThat(server.certificateStatus(leaf.getSerialNumber()))
                .contains("\"Status\": \"Valid\"", "\"Serial\": \"" + serial + "\"", "BEGIN CERTIFICATE")
                .doesNotContain("RevokedAt");
        assertThat(server.isRevoked(leaf.getSerialNumber())).isFalse();
        HttpResponse<String> revocation = client.revoke(leaf, 1);
        assertThat(revocation.statusCode()).isEqualTo(200);
        assertThat(server.isRevoked(leaf.getSerialNumber())).isTrue();
        assertThat(server.certificateStatus(leaf.getSerialNumber()))
                .contains("\"Status\": \"Revoked\"", "\"Reason\": 1", "\"RevokedAt\": ");
    }
}
