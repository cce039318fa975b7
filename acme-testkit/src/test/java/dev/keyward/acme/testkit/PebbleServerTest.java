package dev.keyward.acme.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.NoSuchElementException;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PebbleServerTest {

    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder().build();

    @Test
    void theDirectoryAnswersOverHttpsWithNewNonceNewAccountAndNewOrderOn127001(PebbleServer server) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(server.sslContext()).build();

        HttpResponse<String> directory = client.send(HttpRequest.newBuilder(server.directoryUri()).build(),
                HttpResponse.BodyHandlers.ofString());

        String base = "https://127.0.0.1:" + server.directoryUri().getPort() + "/";
        assertThat(server.directoryUri().toString()).isEqualTo(base + "dir");
        assertThat(directory.statusCode()).isEqualTo(200);
        assertThat(TestAcmeClient.string(directory.body(), "newNonce")).startsWith(base);
        assertThat(TestAcmeClient.string(directory.body(), "newAccount")).startsWith(base);
        assertThat(TestAcmeClient.string(directory.body(), "newOrder")).startsWith(base);
        assertThat(directory.body()).contains("\"externalAccountRequired\": false");
    }

    @Test
    void aClientWithTheDefaultTrustStoreRejectsPebblesCertificate(PebbleServer server) {
        HttpClient defaultTrust = HttpClient.newHttpClient();

        assertThatThrownBy(() -> defaultTrust.send(HttpRequest.newBuilder(server.directoryUri()).build(),
                HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void theTrustManagerAloneLetsHttpsUrlConnectionReachLocalhostToo(PebbleServer server) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {server.trustManager()}, null);
        HttpsURLConnection connection = (HttpsURLConnection) server.directoryUri().toString()
                .replace("127.0.0.1", "localhost").transform(java.net.URI::create).toURL().openConnection();
        connection.setSSLSocketFactory(context.getSocketFactory());
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(5_000);

        try (InputStream body = connection.getInputStream()) {
            assertThat(connection.getResponseCode()).isEqualTo(200);
            assertThat(new String(body.readAllBytes())).contains("https://localhost:");
        } finally {
            connection.disconnect();
        }
    }

    @Test
    void theTrustAnchorIsOneSelfSignedCaAlsoWrittenAsAPemFile(PebbleServer server) throws Exception {
        X509Certificate anchor = server.trustAnchors().get(0);

        assertThat(server.trustAnchors()).hasSize(1);
        anchor.verify(anchor.getPublicKey());
        assertThat(anchor.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(Pem.certificates(Files.readString(server.trustAnchorPemFile()))).containsExactly(anchor);
        assertThat(server.trustManager().getAcceptedIssuers()).containsExactly(anchor);
    }

    @Test
    void theManagementPortServesTheRootAndTheIntermediateItSigned(PebbleServer server) throws Exception {
        X509Certificate root = server.rootCertificates().get(0);
        X509Certificate intermediate = server.intermediateCertificates().get(0);

        assertThat(server.rootCertificates()).hasSize(1);
        assertThat(server.intermediateCertificates()).hasSize(1);
        assertThat(root.getSubjectX500Principal().getName()).contains("Pebble Root CA");
        intermediate.verify(root.getPublicKey());
        assertThat(server.managementUri().toString())
                .isEqualTo("https://127.0.0.1:" + server.managementUri().getPort() + "/");
    }

    @Test
    void theStatusOfASerialPebbleNeverIssuedIsNoSuchElement(PebbleServer server) {
        assertThatThrownBy(() -> server.certificateStatus(new BigInteger("123456789abcdef", 16)))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("123456789abcdef");
        assertThatThrownBy(() -> server.isRevoked(BigInteger.ONE)).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void theHttp01ResponderListensOnTheHttp01PortAndIsStartedOnce(PebbleServer server) {
        Http01Responder responder = server.http01Responder();

        assertThat(responder.port()).isEqualTo(server.http01Port());
        assertThat(server.http01Responder()).isSameAs(responder);
        assertThat(server.tlsAlpnPort()).isPositive().isNotEqualTo(server.http01Port());
    }

    @Test
    void theWorkDirectoryHoldsConfigurationTlsMaterialAndLogs(PebbleServer server) throws Exception {
        assertThat(server.workDirectory().resolve("pebble-config.json")).exists();
        assertThat(server.workDirectory().resolve("cert.pem")).exists();
        assertThat(server.workDirectory().resolve("key.pem")).exists();
        assertThat(Files.readString(server.workDirectory().resolve("pebble.log")))
                .contains("Configured to reject 0% of good nonces")
                .contains("authz reuse for each identifier 50% of the time")
                .contains("Disabling random VA sleeps")
                .contains("Using custom DNS resolver for ACME challenges: " + "127.0.0.1:" + server.dnsAddress().getPort());
    }
}
