package dev.keyward.acme;

import java.net.Socket;
import java.security.KeyManagementException;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Answers {@code tls-alpn-01} (RFC 8737) from the caller's own JDK TLS server, on its own port
 * 443: a key manager that presents the validation certificate of the requested name (SNI) to a
 * handshake that negotiated the ALPN protocol {@value TlsAlpn01Challenge#ALPN_PROTOCOL}, and
 * hands every other handshake to the server's normal key manager. It is also the
 * {@link ChallengeSolver} of the flow: {@link #deploy} adds the validation certificate of the
 * challenge's identifier, {@link #remove} drops it.
 *
 * <pre>{@code
 * X509ExtendedKeyManager normal = ...; // from the server's KeyManagerFactory
 * TlsAlpn01KeyManager keyManager = TlsAlpn01KeyManager.wrap(normal);
 * HttpsServer server = HttpsServer.create(new InetSocketAddress(443), 0);
 * server.setHttpsConfigurator(new HttpsConfigurator(keyManager.serverContext()));
 * account.issue(IssuanceRequest.builder().domains("example.com").certificateKey(key)
 *         .solvers(keyManager).build());
 * }</pre>
 *
 * <p>The server must negotiate ALPN for validation handshakes: {@link #serverContext()} installs
 * {@link #installAlpnSelector(SSLEngine) the selector} on every {@code SSLEngine} it creates; a server built on {@code SSLServerSocket} calls
 * {@link #installAlpnSelector(SSLSocket)} on each accepted socket before its handshake. The
 * selector chooses {@value TlsAlpn01Challenge#ALPN_PROTOCOL} only when the client offers it, and
 * otherwise behaves as the server would without it ({@code http/1.1}, {@code h2} or no ALPN).
 *
 * <p>Keys: the validation certificate is signed through an {@link AcmeSigner}
 * ({@link TlsAlpn01Certificates#create}), but the JDK's TLS implementation signs the handshake
 * with the JCA {@link PrivateKey} of the certificate it presents, so the key manager holds a JCA
 * key: by default a fresh in-memory EC P-256 key per challenge; {@link Builder#validationKey}
 * sets another one (for example a PKCS#11 provider's key with its {@link Signers#jca signer}).
 *
 * <p>With a delegate, validation handshakes need TLS 1.3: in TLS 1.2 the JDK picks the
 * certificate before it negotiates ALPN, so the key manager cannot tell a validation from a
 * normal handshake and hands it to the delegate. The validators of Let's Encrypt (Boulder) and
 * Pebble are Go clients that negotiate TLS 1.3 with a JDK 11+ server. Without a delegate
 * ({@link #create()}, {@link TlsAlpn01Server}) TLS 1.2 validations work too. Thread-safe.
 */
public final class TlsAlpn01KeyManager extends X509ExtendedKeyManager implements ChallengeSolver {
    private static final String ALIAS_PREFIX = "keyward-tls-alpn-01:";
    private static final String ALPN = TlsAlpn01Challenge.ALPN_PROTOCOL;

    private final X509ExtendedKeyManager delegate;
    private final PrivateKey validationPrivateKey;
    private final AcmeSigner validationSigner;
    private final boolean lookOnSelection;
    private final Map<String, Served> served = new ConcurrentHashMap<>();

    private TlsAlpn01KeyManager(X509ExtendedKeyManager delegate, PrivateKey validationPrivateKey,
            AcmeSigner validationSigner, boolean lookOnSelection) {
        this.delegate = delegate;
        this.validationPrivateKey = validationPrivateKey;
        this.validationSigner = validationSigner;
        this.lookOnSelection = lookOnSelection;
    }

    /**
     * A key manager that answers validation handshakes only (every other handshake fails).
     *
     * @return the key manager
     */
    public static TlsAlpn01KeyManager create() {
        return builder().build();
    }

    /**
     * A key manager that answers validation handshakes and hands every other one to the server's
     * normal key manager.
     *
     * @param delegate the server's key manager
     * @return the key manager
     */
    public static TlsAlpn01KeyManager wrap(X509ExtendedKeyManager delegate) {
        return builder().delegate(Objects.requireNonNull(delegate, "delegate")).build();
    }

    /**
     * A builder, for a validation key of the caller's.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A server-side TLS {@link SSLContext} with this key manager, the JDK's default trust
     * managers (for a server that asks for client certificates), and the ALPN selector installed
     * on every {@code SSLEngine} it creates (a JDK {@code HttpsServer},
     * Netty's JDK provider, Jetty and others create engines). Give it to
     * {@code new HttpsConfigurator(...)} for a JDK {@code HttpsServer}.
     *
     * @return a new context
     */
    public SSLContext serverContext() {
        try {
            SSLContext inner = SSLContext.getInstance("TLS");
            inner.init(new javax.net.ssl.KeyManager[] {this}, null, null);
            return AlpnSelection.context(inner);
        } catch (NoSuchAlgorithmException | KeyManagementException e) {
            throw new IllegalStateException("the JDK's TLS context is unavailable", e);
        }
    }

    /**
     * Makes a server engine negotiate {@value TlsAlpn01Challenge#ALPN_PROTOCOL} when the client
     * offers it; any other handshake is left to the selector installed before, or to the
     * engine's {@link SSLParameters#getApplicationProtocols() application protocols} (the
     * first of them the client offers; no ALPN when there are none), as without this call.
     *
     * @param engine a server-side engine, before its handshake
     */
    public static void installAlpnSelector(SSLEngine engine) {
        AlpnSelection.install(engine);
    }

    /**
     * Makes a server socket negotiate {@value TlsAlpn01Challenge#ALPN_PROTOCOL} when the client
     * offers it; see {@link #installAlpnSelector(SSLEngine)}.
     *
     * @param socket an accepted server-side socket, before its handshake
     */
    public static void installAlpnSelector(SSLSocket socket) {
        AlpnSelection.install(socket);
    }

    /**
     * Serves a validation certificate made by the caller for an identifier, until
     * {@link #remove(Identifier)}.
     *
     * @param identifier the {@code dns} or {@code ip} identifier
     * @param certificate the validation certificate ({@link TlsAlpn01Certificates#create})
     * @param privateKey its private key, as a JCA key the JDK's TLS can sign with
     */
    public void put(Identifier identifier, X509Certificate certificate, PrivateKey privateKey) {
        served.put(TlsAlpn01Certificates.serverName(identifier), new Served(Objects.requireNonNull(certificate,
                "certificate"), Objects.requireNonNull(privateKey, "privateKey")));
    }

    /**
     * Stops serving the validation certificate of an identifier.
     *
     * @param identifier the identifier
     */
    public void remove(Identifier identifier) {
        served.remove(TlsAlpn01Certificates.serverName(identifier));
    }

    /** @return how many validation certificates are served now (0 once every flow has cleaned up) */
    public int size() {
        return served.size();
    }

    /** @return {@code Set.of("tls-alpn-01")} */
    @Override
    public Set<String> challengeTypes() {
        return Set.of(TlsAlpn01Challenge.TYPE);
    }

    /** @return false for wildcard names (RFC 8737 section 3) and identifiers other than dns and ip */
    @Override
    public boolean canSolve(Authorization authorization) {
        String type = authorization.identifier().type();
        return !authorization.isWildcard() && (Identifier.TYPE_DNS.equals(type) || Identifier.TYPE_IP.equals(type));
    }

    /**
     * Builds the challenge's validation certificate and serves it.
     *
     * @throws AcmeSolverException if the challenge is not tls-alpn-01 or the certificate cannot
     *     be signed
     */
    @Override
    public void deploy(Challenge challenge) throws AcmeSolverException {
        if (!(challenge instanceof TlsAlpn01Challenge)) {
            throw new AcmeSolverException("not a tls-alpn-01 challenge: " + challenge, null);
        }
        if (challenge.token().isEmpty()) {
            throw new AcmeSolverException("the tls-alpn-01 challenge for " + challenge.identifier().value()
                    + " has no token", null);
        }
        PrivateKey privateKey = validationPrivateKey;
        AcmeSigner signer = validationSigner;
        if (signer == null) {
            KeyPair pair = TlsAlpn01Certificates.newValidationKeyPair();
            privateKey = pair.getPrivate();
            signer = Signers.jca(pair.getPrivate(), pair.getPublic());
        }
        try {
            put(challenge.identifier(), TlsAlpn01Certificates.create((TlsAlpn01Challenge) challenge, signer), privateKey);
        } catch (AcmeSigningException | RuntimeException e) {
            throw new AcmeSolverException("cannot make the tls-alpn-01 certificate for "
                    + challenge.identifier().value() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void remove(Challenge challenge) {
        try {
            remove(challenge.identifier());
        } catch (RuntimeException e) {
            // an identifier deploy refused: nothing is served for it
        }
    }

    /**
     * Waits until a validation handshake for the challenge's name was given its certificate.
     */
    @Override
    public boolean awaitValidation(Challenge challenge, Duration timeout) throws InterruptedException {
        Served entry;
        try {
            entry = served.get(TlsAlpn01Certificates.serverName(challenge.identifier()));
        } catch (RuntimeException e) {
            return false;
        }
        return entry != null && entry.looked.await(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    }

    /** Records a completed validation handshake for a name (the embedded responder's signal). */
    void validated(String serverName) {
        Served entry = served.get(serverName);
        if (entry != null) {
            entry.looked.countDown();
        }
    }

    // ---- X509ExtendedKeyManager

    /**
     * The validation certificate's alias when the handshake negotiated
     * {@value TlsAlpn01Challenge#ALPN_PROTOCOL} and a certificate is deployed for its SNI name;
     * otherwise the delegate's choice. Without a delegate, a handshake whose ALPN is not known yet
     * (TLS 1.2, where the JDK picks the certificate before ALPN) also gets the validation
     * certificate, and the ALPN selector then refuses it unless it offers
     * {@value TlsAlpn01Challenge#ALPN_PROTOCOL}.
     */
    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        if (engine != null && isValidation(protocol(engine))) {
            return validationAlias(keyType, engine.getHandshakeSession());
        }
        return delegate == null ? null : delegate.chooseEngineServerAlias(keyType, issuers, engine);
    }

    /** As {@link #chooseEngineServerAlias}, for a server {@code SSLSocket}. */
    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        if (socket instanceof SSLSocket && isValidation(protocol((SSLSocket) socket))) {
            return validationAlias(keyType, ((SSLSocket) socket).getHandshakeSession());
        }
        return delegate == null ? null : delegate.chooseServerAlias(keyType, issuers, socket);
    }

    private boolean isValidation(String negotiated) {
        return ALPN.equals(negotiated) || (delegate == null && negotiated == null);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        if (alias != null && alias.startsWith(ALIAS_PREFIX)) {
            Served entry = served.get(alias.substring(ALIAS_PREFIX.length()));
            return entry == null ? null : entry.chain.clone();
        }
        return delegate == null ? null : delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        if (alias != null && alias.startsWith(ALIAS_PREFIX)) {
            Served entry = served.get(alias.substring(ALIAS_PREFIX.length()));
            return entry == null ? null : entry.privateKey;
        }
        return delegate == null ? null : delegate.getPrivateKey(alias);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return delegate == null ? null : delegate.getServerAliases(keyType, issuers);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return delegate == null ? null : delegate.getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return delegate == null ? null : delegate.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return delegate == null ? null : delegate.chooseEngineClientAlias(keyType, issuers, engine);
    }

    private static String protocol(SSLEngine engine) {
        try {
            return engine.getHandshakeApplicationProtocol();
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    private static String protocol(SSLSocket socket) {
        try {
            return socket.getHandshakeApplicationProtocol();
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    /** The alias of the validation certificate for the handshake's SNI name, if it has the key type. */
    private String validationAlias(String keyType, SSLSession session) {
        if (!(session instanceof ExtendedSSLSession)) {
            return null;
        }
        for (SNIServerName name : ((ExtendedSSLSession) session).getRequestedServerNames()) {
            if (name instanceof SNIHostName) {
                String host = ((SNIHostName) name).getAsciiName().toLowerCase(Locale.ROOT);
                if (host.endsWith(".")) {
                    host = host.substring(0, host.length() - 1);
                }
                Served entry = served.get(host);
                if (entry != null && entry.privateKey.getAlgorithm().equalsIgnoreCase(keyType)) {
                    if (lookOnSelection) {
                        entry.looked.countDown();
                    }
                    return ALIAS_PREFIX + host;
                }
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "TlsAlpn01KeyManager{" + served.size() + " validation certificates"
                + (delegate == null ? "" : ", delegating to " + delegate.getClass().getName()) + "}";
    }

    /** Builds a {@link TlsAlpn01KeyManager}. Not thread-safe. */
    public static final class Builder {
        private X509ExtendedKeyManager delegate;
        private PrivateKey privateKey;
        private AcmeSigner signer;
        private boolean lookOnSelection = true;

        private Builder() {
        }

        /**
         * The server's normal key manager, for every handshake that is not a validation.
         *
         * @param keyManager the key manager; null for none (only validations succeed)
         * @return this builder
         */
        public Builder delegate(X509ExtendedKeyManager keyManager) {
            this.delegate = keyManager;
            return this;
        }

        /**
         * The key of every validation certificate, instead of a fresh EC P-256 key per challenge:
         * the JCA key the TLS handshake signs with, and the signer of the same key the
         * certificate is signed through.
         *
         * @param jcaKey the private key, as the JDK's TLS needs it (in memory or provider-backed)
         * @param signerOfTheSameKey the signer of that key
         * @return this builder
         */
        public Builder validationKey(PrivateKey jcaKey, AcmeSigner signerOfTheSameKey) {
            this.privateKey = Objects.requireNonNull(jcaKey, "jcaKey");
            this.signer = Objects.requireNonNull(signerOfTheSameKey, "signerOfTheSameKey");
            return this;
        }

        Builder lookOnSelection(boolean value) {
            this.lookOnSelection = value;
            return this;
        }

        /** @return the key manager */
        public TlsAlpn01KeyManager build() {
            return new TlsAlpn01KeyManager(delegate, privateKey, signer, lookOnSelection);
        }
    }

    /** One name's validation certificate, and whether a validator has been given it. */
    private static final class Served {
        final X509Certificate[] chain;
        final PrivateKey privateKey;
        final CountDownLatch looked = new CountDownLatch(1);

        Served(X509Certificate certificate, PrivateKey privateKey) {
            this.chain = new X509Certificate[] {certificate};
            this.privateKey = privateKey;
        }
    }
}
