package dev.keyward.acme;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A normal HTTPS server for tests: a JDK {@link HttpsServer} on 127.0.0.1 with its own
 * self-signed certificate (SAN 127.0.0.1 and {@code localhost}), answering {@code 200 hello} on
 * every path, with Keyward's {@link TlsAlpn01KeyManager} wrapped around its key manager.
 */
public final class NormalTlsServer implements AutoCloseable {
    public static final String BODY = "hello from the normal server";

    private final HttpsServer server;
    private final ExecutorService executor;
    private final X509Certificate certificate;
    private final TlsAlpn01KeyManager keyManager;
    private final AtomicInteger requests = new AtomicInteger();

    private NormalTlsServer(HttpsServer server, ExecutorService executor, X509Certificate certificate,
            TlsAlpn01KeyManager keyManager) {
        this.server = server;
        this.executor = executor;
        this.certificate = certificate;
        this.keyManager = keyManager;
    }

    /** Starts on the port (0 for any). */
    public static NormalTlsServer start(int port) throws Exception {
        KeyPair keys = TestKeys.ec("secp256r1");
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=normal server");
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name,
                        keys.getPublic())
                        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                                new GeneralName(GeneralName.dNSName, "localhost")}))
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("normal", keys.getPrivate(), new char[0], new Certificate[] {certificate});
        KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
        factory.init(store, new char[0]);
        TlsAlpn01KeyManager keyManager = TlsAlpn01KeyManager.wrap((X509ExtendedKeyManager) factory.getKeyManagers()[0]);

        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(keyManager.serverContext()));
        ExecutorService executor = Executors.newFixedThreadPool(4, task -> {
            Thread thread = new Thread(task, "normal-https");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        NormalTlsServer normal = new NormalTlsServer(server, executor, certificate, keyManager);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                normal.requests.incrementAndGet();
                byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        return normal;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public TlsAlpn01KeyManager keyManager() {
        return keyManager;
    }

    public int requests() {
        return requests.get();
    }

    /** A client context that trusts this server's certificate alone. */
    public SSLContext clientContext() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("normal", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /**
     * One GET of {@code https://127.0.0.1:port/} with certificate and host name checks on.
     *
     * @return the status code and the body
     */
    public String get(SSLContext clientContext) throws IOException {
        HttpsURLConnection connection = (HttpsURLConnection) new URL("https://127.0.0.1:" + port() + "/").openConnection();
        connection.setSSLSocketFactory(clientContext.getSocketFactory());
        connection.setConnectTimeout(10_000);
        connection.setReadTimeout(10_000);
        try {
            int status = connection.getResponseCode();
            return status + " " + new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            connection.disconnect();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
