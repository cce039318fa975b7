package dev.keyward.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.manager.AcmeCa;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's sample for framework authors works against Pebble (the manager issues on start through
 * tls-alpn-01 answered by the JDK HttpsServer itself, which then serves the certificate by SNI), and
 * the README shows it as it is compiled.
 */
class EmbeddedHttpsTest {
    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder()
            .server(PebbleServer.builder().authorizationReusePercent(0)).build();

    @TempDir
    Path storage;

    @Test
    void theEmbeddedHttpsServerIssuesOnStartAndServesTheCertificateBySni() throws Exception {
        PebbleServer server = pebble.server();
        String name = "site-" + UUID.randomUUID().toString().substring(0, 8) + ".keyward.test";
        AcmeCa ca = AcmeCa.builder(server.directoryUri()).trustAnchors(server.trustAnchors())
                .agreeToTermsOfService().build();
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        try (EmbeddedHttps site = EmbeddedHttps.start(ca, storage, new String[] {name},
                new InetSocketAddress("127.0.0.1", server.tlsAlpnPort()),
                new InetSocketAddress("127.0.0.1", server.http01Port()), exchange -> {
                    exchange.sendResponseHeaders(200, hello.length);
                    exchange.getResponseBody().write(hello);
                    exchange.close();
                })) {
            X509Certificate issued = site.manager().certificate("site").orElseThrow().leaf();
            assertThat(issued.getSubjectAlternativeNames()).containsExactly(List.of(2, name));

            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, trust(server.rootCertificates()), null);
            try (Socket plain = new Socket("127.0.0.1", server.tlsAlpnPort());
                 SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(plain, name,
                         server.tlsAlpnPort(), true)) {
                socket.setSoTimeout(30_000);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(issued);
                OutputStream out = socket.getOutputStream();
                out.write(("GET / HTTP/1.1\r\nHost: " + name + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                List<String> response = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII)).lines().toList();
                assertThat(response.get(0)).startsWith("HTTP/1.1 200");
                assertThat(response.get(response.size() - 1)).isEqualTo("hello");
            }
        }
    }

    @Test
    void theReadmeShowsTheSampleExactlyAsCompiled() throws Exception {
        String source = Files.readString(Path.of("src/main/java/dev/keyward/examples/EmbeddedHttps.java"),
                StandardCharsets.UTF_8);
        String body = source.substring(source.indexOf("// README-BEGIN\n") + "// README-BEGIN\n".length(),
                source.indexOf("        // README-END"));
        List<String> lines = body.lines().map(l -> l.startsWith("        ") ? l.substring(8) : l).toList();
        assertThat(lines.size()).as("a 20-line example").isLessThanOrEqualTo(20);
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);

        assertThat(readme).contains(lines.stream().collect(Collectors.joining("\n")));
    }

    private static javax.net.ssl.TrustManager[] trust(List<X509Certificate> roots) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < roots.size(); i++) {
            store.setCertificateEntry("root" + i, roots.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }
}
