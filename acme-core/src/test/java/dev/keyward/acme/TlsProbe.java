package dev.keyward.acme;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A JDK {@link SSLSocket} client for tests: connects to 127.0.0.1, sends an SNI name and offers
 * ALPN protocols, and reports what the server chose and which certificate it presented. Like a
 * tls-alpn-01 validator it does not check the chain: the test asserts on the certificate itself.
 */
public final class TlsProbe {
    /** What the server answered. */
    public static final class Result {
        public final String applicationProtocol;
        public final X509Certificate certificate;
        public final String tlsVersion;

        Result(String applicationProtocol, X509Certificate certificate, String tlsVersion) {
            this.applicationProtocol = applicationProtocol;
            this.certificate = certificate;
            this.tlsVersion = tlsVersion;
        }
    }

    private TlsProbe() {
    }

    /**
     * Completes one handshake and closes.
     *
     * @param port the server's port on 127.0.0.1
     * @param serverName the SNI name, or null for none
     * @param tlsVersion for example {@code TLSv1.3}, or null for the JDK's default
     * @param protocols the ALPN protocols to offer; none for no ALPN extension
     * @return the server's choice and certificate
     * @throws IOException if the handshake fails
     */
    public static Result handshake(int port, String serverName, String tlsVersion, String... protocols) throws IOException {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AcceptingTrustManager()}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            if (serverName != null) {
                parameters.setServerNames(List.of(new SNIHostName(serverName)));
            }
            parameters.setApplicationProtocols(protocols);
            if (tlsVersion != null) {
                parameters.setProtocols(new String[] {tlsVersion});
            }
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            X509Certificate certificate = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            return new Result(socket.getApplicationProtocol(), certificate, socket.getSession().getProtocol());
        }
    }

    /** Accepts any server certificate, as a tls-alpn-01 validator does before its own checks. */
    private static final class AcceptingTrustManager extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
