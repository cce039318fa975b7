package dev.keyward.examples;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.keyward.acme.manager.AcmeCa;
import dev.keyward.acme.manager.CertificateManager;
import dev.keyward.acme.manager.CertificateSet;
import dev.keyward.acme.manager.CertificateStorage;
import dev.keyward.acme.manager.EventListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The README's sample for framework authors: acme-manager embedded in the JDK's {@code HttpsServer}.
 * The HTTPS port serves the current certificate by SNI and answers tls-alpn-01; a plain HTTP port
 * answers http-01 from the manager's lookup. The test suite runs it against Pebble and checks that
 * README.md shows exactly this code.
 */
public final class EmbeddedHttps implements AutoCloseable {
    private final CertificateManager manager;
    private final HttpsServer tls;
    private final HttpServer plain;

    private EmbeddedHttps(CertificateManager manager, HttpsServer tls, HttpServer plain) {
        this.manager = manager;
        this.tls = tls;
        this.plain = plain;
    }

    /**
     * Starts both servers and the manager: serves what the storage holds, issues what is missing,
     * and renews in the background.
     *
     * @param ca the CA
     * @param storage the manager's storage directory
     * @param names the names of the site
     * @param https the HTTPS address (443)
     * @param http the plain HTTP address (80), for http-01
     * @param app the application's handler
     * @return the running servers and manager, closed together
     * @throws IOException if a port cannot be bound or the storage cannot be read
     */
    public static EmbeddedHttps start(AcmeCa ca, Path storage, String[] names, InetSocketAddress https,
            InetSocketAddress http, HttpHandler app) throws IOException {
        // README-BEGIN
        CertificateManager manager = CertificateManager.builder()
                .storage(CertificateStorage.files(storage))
                .add(CertificateSet.builder("site").domains(names).ca(ca).build()) // tls-alpn-01, then http-01
                .eventListener(EventListener.logging())
                .build();
        HttpsServer tls = HttpsServer.create(https, 0); // answers tls-alpn-01 on the same port
        tls.setHttpsConfigurator(new HttpsConfigurator(manager.sslContext()));
        tls.createContext("/", app);
        tls.start();
        HttpServer plain = HttpServer.create(http, 0); // port 80: http-01
        plain.createContext("/.well-known/acme-challenge/", exchange -> {
            Optional<String> answer = manager.http01Lookup().answer(exchange.getRequestURI().getRawPath());
            byte[] body = answer.orElse("not found").getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(answer.isPresent() ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        plain.start();
        manager.start(); // serves what storage holds, issues what is missing, renews in the background
        // README-END
        return new EmbeddedHttps(manager, tls, plain);
    }

    /** @return the manager */
    public CertificateManager manager() {
        return manager;
    }

    /** Stops the servers and the manager. */
    @Override
    public void close() {
        tls.stop(0);
        plain.stop(0);
        manager.close();
    }
}
