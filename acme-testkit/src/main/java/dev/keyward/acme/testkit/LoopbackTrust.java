package dev.keyward.acme.testkit;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** A trust manager and TLS context that trust exactly one CA certificate and nothing else. */
final class LoopbackTrust {

    private final X509TrustManager trustManager;
    private final SSLContext sslContext;

    private LoopbackTrust(X509TrustManager trustManager, SSLContext sslContext) {
        this.trustManager = trustManager;
        this.sslContext = sslContext;
    }

    /** Builds the trust for {@code anchor} with the JDK's PKIX trust manager. */
    static LoopbackTrust of(X509Certificate anchor) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("keyward-testkit-ca", anchor);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            X509TrustManager trustManager = Arrays.stream(factory.getTrustManagers())
                    .filter(X509TrustManager.class::isInstance)
                    .map(X509TrustManager.class::cast)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("the JDK offers no X509TrustManager"));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            return new LoopbackTrust(trustManager, context);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust manager for the test kit CA", e);
        }
    }

    /** The trust manager. */
    X509TrustManager trustManager() {
        return trustManager;
    }

    /** A TLS context whose only trust anchor is the CA. */
    SSLContext sslContext() {
        return sslContext;
    }
}
