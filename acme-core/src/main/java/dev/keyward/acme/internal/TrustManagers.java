package dev.keyward.acme.internal;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Trust managers that add CA certificates to the system's; verification is never off. */
public final class TrustManagers {
    /** How many distinct anchor sets keep their TLS set-up; beyond that the eldest is dropped. */
    private static final int CACHED_ANCHOR_SETS = 16;
    private static final Map<List<X509Certificate>, Tls> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<List<X509Certificate>, Tls> eldest) {
            return size() > CACHED_ANCHOR_SETS;
        }
    };

    private TrustManagers() {
    }

    /**
     * A TLS set-up (socket factory and trust manager) for the system's CA certificates plus these
     * anchors. Clients given the same anchors get the same objects: one SSL context, so a new
     * client resumes the TLS sessions of earlier ones, and a shared OkHttp connection pool sees
     * the same address and can hand over an open connection.
     */
    public record Tls(SSLSocketFactory socketFactory, X509TrustManager trustManager) {
    }

    /**
     * The shared TLS set-up for {@code anchors} (see {@link Tls}).
     *
     * @param anchors extra CA certificates, not empty
     * @return the set-up, made once per distinct anchor list
     */
    public static Tls forAnchors(List<X509Certificate> anchors) {
        List<X509Certificate> key = List.copyOf(anchors);
        synchronized (CACHE) {
            Tls tls = CACHE.get(key);
            if (tls == null) {
                X509TrustManager tm = systemPlus(key);
                tls = new Tls(socketFactory(tm), tm);
                CACHE.put(key, tls);
            }
            return tls;
        }
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
