package dev.keyward.acme;

import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The ALPN side of tls-alpn-01 on a JDK TLS server (RFC 8737 section 6.2, RFC 7301): a selector
 * that chooses {@value TlsAlpn01Challenge#ALPN_PROTOCOL} when the client offers it and otherwise
 * leaves the choice as the server would make it, and an {@link SSLContext} that installs it on
 * every engine it creates.
 */
final class AlpnSelection {
    private static final String ALPN = TlsAlpn01Challenge.ALPN_PROTOCOL;

    private AlpnSelection() {
    }

    static void install(SSLEngine engine) {
        BiFunction<SSLEngine, List<String>, String> previous = engine.getHandshakeApplicationProtocolSelector();
        engine.setHandshakeApplicationProtocolSelector((e, offered) -> offered.contains(ALPN) ? ALPN
                : previous != null ? previous.apply(e, offered) : choose(e.getSSLParameters(), offered));
    }

    static void install(SSLSocket socket) {
        BiFunction<SSLSocket, List<String>, String> previous = socket.getHandshakeApplicationProtocolSelector();
        socket.setHandshakeApplicationProtocolSelector((s, offered) -> offered.contains(ALPN) ? ALPN
                : previous != null ? previous.apply(s, offered) : choose(s.getSSLParameters(), offered));
    }

    /** What the JDK chooses without a selector: the first local protocol offered; none configured, no ALPN. */
    private static String choose(SSLParameters parameters, List<String> offered) {
        String[] local = parameters.getApplicationProtocols();
        if (local == null || local.length == 0) {
            return "";
        }
        for (String protocol : local) {
            if (offered.contains(protocol)) {
                return protocol;
            }
        }
        return null;
    }

    /** An initialized context whose engines get the selector. */
    static SSLContext context(SSLContext inner) {
        return new SelectingContext(inner);
    }

    /** An SSLContext whose engines negotiate acme-tls/1 for validators. */
    private static final class SelectingContext extends SSLContext {
        SelectingContext(SSLContext inner) {
            super(new SelectingSpi(inner), inner.getProvider(), inner.getProtocol());
        }
    }

    private static final class SelectingSpi extends SSLContextSpi {
        private final SSLContext inner;

        SelectingSpi(SSLContext inner) {
            this.inner = inner;
        }

        @Override
        protected void engineInit(javax.net.ssl.KeyManager[] km, javax.net.ssl.TrustManager[] tm,
                java.security.SecureRandom random) {
            throw new IllegalStateException("this context is initialized already");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return inner.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return inner.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            SSLEngine engine = inner.createSSLEngine();
            install(engine);
            return engine;
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            SSLEngine engine = inner.createSSLEngine(host, port);
            install(engine);
            return engine;
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return inner.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return inner.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return inner.getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return inner.getSupportedSSLParameters();
        }
    }
}
