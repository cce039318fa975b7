package dev.keyward.acme.internal;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Trust managers that add CA certificates to the system's; verification is never off. */
public final class TrustManagers {
    private TrustManagers() {
    }

    /**
     * A trust manager that accepts what the system trusts, or a chain ending in one of the anchors.
     *
     * @param anchors extra CA certificates
     * @return the trust manager
     */
    public static X509TrustManager systemPlus(List<X509Certificate> anchors) {
        X509TrustManager system = fromKeyStore(null);
        X509TrustManager extra = fromKeyStore(keyStore(anchors));
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                system.checkClientTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                try {
                    extra.checkServerTrusted(chain, authType);
                } catch (CertificateException e) {
                    system.checkServerTrusted(chain, authType);
                }
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                List<X509Certificate> all = new ArrayList<>(List.of(extra.getAcceptedIssuers()));
                all.addAll(List.of(system.getAcceptedIssuers()));
                return all.toArray(new X509Certificate[0]);
            }
        };
    }

    /**
     * An SSL socket factory using one trust manager.
     *
     * @param trustManager the trust manager
     * @return the factory
     */
    public static SSLSocketFactory socketFactory(X509TrustManager trustManager) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available", e);
        }
    }

    private static KeyStore keyStore(List<X509Certificate> anchors) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (X509Certificate anchor : anchors) {
                ks.setCertificateEntry("anchor-" + i++, anchor);
            }
            return ks;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a trust store", e);
        }
    }

    private static X509TrustManager fromKeyStore(KeyStore ks) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager) {
                    return (X509TrustManager) tm;
                }
            }
            throw new IllegalStateException("no X509TrustManager available");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a trust manager", e);
        }
    }
}
