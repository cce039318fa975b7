package dev.keyward.acme.manager;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDK {@code HttpsServer} serving the manager's certificates, and a restart on the same storage. */
class JdkHttpsServerRenewalTest extends ServedRenewalScenario {
    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.builder()
            .server(PebbleServer.builder().authorizationReusePercent(0)).build();

    @Override
    PebbleServer pebble() {
        return PEBBLE.server();
    }

    @Override
    AutoCloseable startServer(SSLContext context, int port) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        ExecutorService executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            byte[] body = "hello".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return () -> {
            server.stop(0);
            executor.shutdownNow();
        };
    }

    @Test
    void aRestartedManagerServesTheStoredCertificateAtOnceWithNoNewOrder() throws Exception {
        int port = pebble().tlsAlpnPort();
        X509Certificate issued;
        try (CertificateManager first = manager(new RecordingListener());
             AutoCloseable server = startServer(first.sslContext(), port)) {
            first.start();
            issued = first.certificate("www").orElseThrow().leaf();
        }

        RecordingListener events = new RecordingListener();
        try (CertificateManager second = manager(events);
             AutoCloseable server = startServer(second.sslContext(), port)) {
            second.start();

            assertThat(events.events).contains("loaded www", "loaded api").noneMatch(e -> e.startsWith("started"));
            assertThat(events.named("scheduled www ari")).as("Pebble 2.10 offers ARI: the schedule follows its window").hasSize(1);
            assertThat(get(clientContext(pebble().rootCertificates()), port, "www.example.test")).isEqualTo(issued);
        }
    }
}
