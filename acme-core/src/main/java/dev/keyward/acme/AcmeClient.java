package dev.keyward.acme;

import dev.keyward.acme.internal.HttpTransport;
import dev.keyward.acme.internal.TrustManagers;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * The entry point: a client for one ACME server, named by its directory URL (RFC 8555 section
 * 7.1.1). Immutable and thread-safe; share one per CA. It holds the cached directory and the nonce
 * pool (section 7.2), and owns no threads of its own beyond OkHttp's. Clients built without
 * {@link Builder#httpClient} share one process-wide OkHttp client (connection pool, dispatcher,
 * TLS context), so a new client to the same CA reuses an open connection.
 *
 * <pre>{@code
 * AcmeClient client = AcmeClient.builder(URI.create("https://acme-v02.api.letsencrypt.org/directory")).build();
 * Account account = client.newAccount(accountKey).contact("mailto:admin@example.com")
 *         .agreeToTermsOfService().create();
 * }</pre>
 */
public final class AcmeClient implements AutoCloseable {
    /** The default cap on a response body: 2 MiB, for JSON resources and certificate chains alike. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 2L * 1024 * 1024;
    /** The default bound on {@code badNonce} retries of one request: 25. */
    public static final int DEFAULT_MAX_BAD_NONCE_RETRIES = 25;

    private final URI directoryUrl;
    private final OkHttpClient httpClient;
    private final Session session;

    private AcmeClient(Builder b) {
        this.directoryUrl = b.directoryUrl;
        OkHttpClient base = b.httpClient != null ? b.httpClient : SharedHttpClient.INSTANCE;
        OkHttpClient.Builder adjusted = base.newBuilder().retryOnConnectionFailure(false);
        if (!b.trustAnchors.isEmpty()) {
            TrustManagers.Tls tls = TrustManagers.forAnchors(b.trustAnchors);
            adjusted.sslSocketFactory(tls.socketFactory(), tls.trustManager());
        }
        this.httpClient = adjusted.build();
        String ua = "keyward/" + Version.VERSION + (b.userAgent == null ? "" : " " + b.userAgent);
        this.session = new Session(directoryUrl, new HttpTransport(httpClient, ua, b.maxResponseBytes), b.clock,
                b.pollPolicy, b.maxBadNonceRetries, b.retryPolicy, b.eventListener);
    }

    /**
     * A builder of the OkHttp client Keyward uses when the caller gives none: 10 s connect, 30 s read
     * and write, 60 s call timeout, redirects off, and {@code TCP_NODELAY} on its sockets (so small
     * requests never wait for a delayed ACK). A caller that wants to add to it (an interceptor, an
     * OkHttp event listener, a proxy) starts from here and passes the result to
     * {@link Builder#httpClient}.
     *
     * @return a new builder with Keyward's defaults
     */
    public static OkHttpClient.Builder defaultHttpClient() {
        return new OkHttpClient.Builder()
                .connectTimeout(10, TimeUnit.SECONDS)
                .readTimeout(30, TimeUnit.SECONDS)
                .writeTimeout(30, TimeUnit.SECONDS)
                .callTimeout(60, TimeUnit.SECONDS)
                .followRedirects(false)
                .socketFactory(new dev.keyward.acme.internal.NoDelaySocketFactory());
    }

    /**
     * The OkHttp client behind every {@link AcmeClient} built without {@link Builder#httpClient}:
     * one connection pool, one dispatcher and one TLS context for the process, as OkHttp advises,
     * so a new client to a CA reaches it over a connection an earlier client opened (no TCP or
     * TLS set-up), or at least resumes its TLS session.
     */
    private static final class SharedHttpClient {
        static final OkHttpClient INSTANCE = defaultHttpClient().build();

        private SharedHttpClient() {
        }
    }

    /** The clock of this client, for package code such as {@link Containment}. */
    AcmeClock clock() {
        return session.clock();
    }

    /**
     * A builder for a client of the CA with this directory URL.
     *
     * @param directoryUrl the directory URL, {@code https}
     * @return the builder
     */
    public static Builder builder(URI directoryUrl) {
        return new Builder(directoryUrl);
    }

    /** @return the directory URL */
    public URI directoryUrl() {
        return directoryUrl;
    }

    /**
     * Returns the directory (section 7.1.1), fetching it with one GET on the first call only;
     * later calls return the cached copy.
     *
     * @return the directory
     * @throws AcmeException if the server cannot be reached or refuses
     * @throws AcmeProtocolException if the directory lacks {@code newNonce}, {@code newAccount} or
     *     {@code newOrder}
     */
    public Directory fetchDirectory() throws AcmeException {
        return session.directory();
    }

    /**
     * Starts a {@code newAccount} request for a key (section 7.3); nothing is sent until
     * {@link AccountRequest#create()}.
     *
     * @param accountKey the signer of the account key (a file key, a PKCS#11 key, a KMS key)
     * @return the request builder
     */
    public AccountRequest newAccount(AcmeSigner accountKey) {
        return new AccountRequest(session, accountKey);
    }

    /**
     * Finds the existing account of a key ({@code onlyReturnExisting}, section 7.3.1). One
     * request (plus the directory and a nonce when not yet cached).
     *
     * @param accountKey the signer of the account key
     * @return the account
     * @throws AcmeServerException with {@code accountDoesNotExist} when the key has none
     * @throws AcmeException if the server cannot be reached
     */
    public Account findAccount(AcmeSigner accountKey) throws AcmeException {
        return newAccount(accountKey).onlyReturnExisting().create();
    }

    /**
     * Resumes an account from its stored URL: one POST-as-GET (section 7.3) with the key's
     * {@code kid}.
     *
     * @param accountUrl the account URL, on the CA's origin (the directory URL's scheme, host and port)
     * @param accountKey the signer of the account key
     * @return the account
     * @throws AcmeForeignUrlException if the URL is not on the CA's origin; nothing is sent
     * @throws AcmeException if the server refuses (for example {@code unauthorized} for the wrong
     *     key) or cannot be reached
     */
    public Account fetchAccount(URI accountUrl, AcmeSigner accountKey) throws AcmeException {
        Objects.requireNonNull(accountUrl, "accountUrl");
        Objects.requireNonNull(accountKey, "accountKey");
        CaOrigin.require(directoryUrl, accountUrl);
        Login login = new Login(session, accountKey, accountUrl);
        return Account.of(login, login.fetch(accountUrl, "account " + accountUrl).json);
    }

    /**
     * Checks that a URL is on the CA's origin: the scheme, host and port of the directory URL
     * (RFC 6454 section 4; a missing port is the scheme's default), as every fetch by a caller's
     * URL does before signing. No request.
     *
     * @param url a URL a caller means to send a signed request to
     * @return the URL
     * @throws AcmeForeignUrlException if the URL is on another origin
     */
    public URI requireCaOrigin(URI url) {
        return CaOrigin.require(directoryUrl, url);
    }

    /**
     * Revokes a certificate with a request signed by the certificate's own key, with its
     * {@code jwk} (section 7.6): no account is needed. One request (plus the directory and a
     * nonce when not yet cached).
     *
     * @param certificate the certificate
     * @param certificateKey the signer of the certificate's key
     * @param reason the RFC 5280 reason, or {@code null} to send none
     * @throws IllegalArgumentException if the key is not the certificate's
     * @throws AcmeAlreadyRevokedException if it was revoked already
     * @throws AcmeException if the server refuses or cannot be reached
     */
    public void revoke(X509Certificate certificate, AcmeSigner certificateKey, RevocationReason reason)
            throws AcmeException {
        Objects.requireNonNull(certificateKey, "certificateKey");
        if (!certificate.getPublicKey().equals(certificateKey.publicKey())) {
            throw new IllegalArgumentException("the key is not the certificate's key");
        }
        Revocation.revoke(session, certificateKey, null, certificate, reason);
    }

    /**
     * Fetches the ACME Renewal Information of a certificate (RFC 9773 section 4.1): an
     * unauthenticated GET of {@code renewalInfo/<certificate id>}. One request (the directory
     * is fetched first when it is not cached).
     *
     * @param certificate the certificate, which must carry an Authority Key Identifier
     * @return the suggested renewal window
     * @throws AcmeNotSupportedException if the CA's directory has no {@code renewalInfo}: fall
     *     back to the certificate's lifetime
     * @throws AcmeException if the CA refuses or cannot be reached
     * @throws IllegalArgumentException if the certificate has no Authority Key Identifier
     */
    public RenewalInfo fetchRenewalInfo(X509Certificate certificate) throws AcmeException {
        String id = RenewalInfo.certificateId(certificate);
        Directory directory = session.directory();
        URI base = directory.renewalInfo().orElseThrow(() -> new AcmeNotSupportedException(
                "the CA at " + directoryUrl() + " offers no ACME Renewal Information (RFC 9773): its directory has"
                        + " no renewalInfo"));
        String text = base.toString();
        URI url = URI.create((text.endsWith("/") ? text : text + "/") + id);
        return session.fetchRenewalInfo(url, id);
    }

    /**
     * Ends this client's use of its HTTP client. Clients built without {@link Builder#httpClient}
     * share one process-wide OkHttp connection pool (idle connections close after OkHttp's
     * 5-minute keep-alive; its threads are daemons), which stays for the other clients; a caller's
     * own {@link OkHttpClient} is left alone too. Nothing to release today: kept so that callers
     * hold clients in try-with-resources.
     */
    @Override
    public void close() {
        // The shared pool and the caller's client both outlive this client.
    }

    @Override
    public String toString() {
        return "AcmeClient{" + directoryUrl + "}";
    }

    /** Builds an {@link AcmeClient}; each setter validates at once and states its default. */
    public static final class Builder {
        private final URI directoryUrl;
        private OkHttpClient httpClient;
        private final List<X509Certificate> trustAnchors = new ArrayList<>();
        private AcmeClock clock = AcmeClock.system();
        private PollPolicy pollPolicy = PollPolicy.defaults();
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private String userAgent;
        private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private int maxBadNonceRetries = DEFAULT_MAX_BAD_NONCE_RETRIES;
        private boolean allowPlainHttp;
        private AcmeEventListener eventListener = AcmeEventListener.NONE;

        private Builder(URI directoryUrl) {
            Objects.requireNonNull(directoryUrl, "directoryUrl");
            if (!directoryUrl.isAbsolute() || directoryUrl.getHost() == null) {
                throw new IllegalArgumentException("directory URL must be absolute: " + directoryUrl);
            }
            String scheme = directoryUrl.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http")) {
                throw new IllegalArgumentException("directory URL must be https: " + directoryUrl);
            }
            this.directoryUrl = directoryUrl;
        }

        /**
         * The OkHttp client to send requests with (default: {@link AcmeClient#defaultHttpClient()}'s: a 10 s
         * connect, 30 s read and 60 s call timeout, redirects off, and {@code TCP_NODELAY} on its
         * sockets, so small requests never wait for a delayed ACK). Its timeouts are the deadlines of every
         * request. Keyward turns off its {@code retryOnConnectionFailure}, since OkHttp would
         * otherwise re-send a POST whose connection failed after the CA may have acted on it;
         * {@link RetryPolicy} decides what is repeated. The caller's client keeps its own TLS
         * settings (socket factory, hostname verifier) unless {@link #trustAnchors} is also
         * given: a caller who turns verification off in its own client has done so itself.
         *
         * @param client the caller's client
         * @return this builder
         */
        public Builder httpClient(OkHttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Extra CA certificates to trust for the server's TLS, in addition to the system's
         * (default: none). TLS verification cannot be turned off.
         *
         * @param anchors the certificates
         * @return this builder
         */
        public Builder trustAnchors(Collection<X509Certificate> anchors) {
            for (X509Certificate anchor : anchors) {
                trustAnchors.add(Objects.requireNonNull(anchor, "anchor"));
            }
            return this;
        }

        /**
         * The clock for polling and {@code Retry-After} (default {@link AcmeClock#system()}).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(AcmeClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How {@code awaitCompletion()} polls (default {@link PollPolicy#defaults()}).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder pollPolicy(PollPolicy policy) {
            this.pollPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * What is retried after failures besides {@code badNonce} (default
         * {@link RetryPolicy#defaults()}: safe requests 3 times, no waiting for {@code Retry-After}).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * The listener of this client's requests, retries, {@code badNonce}s, nonce-pool misses,
         * {@code rateLimited} answers and polls (default {@link AcmeEventListener#NONE}). Called
         * synchronously on the requesting thread; its exceptions are caught and never break a
         * request.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder eventListener(AcmeEventListener listener) {
            this.eventListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Text appended to the {@code User-Agent} header (default: {@code keyward/VERSION} alone).
         *
         * @param product for example {@code my-app/1.2}
         * @return this builder
         */
        public Builder userAgent(String product) {
            Objects.requireNonNull(product, "product");
            if (product.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
                throw new IllegalArgumentException("User-Agent must be printable ASCII");
            }
            this.userAgent = product;
            return this;
        }

        /**
         * The largest response body read (default {@link #DEFAULT_MAX_RESPONSE_BYTES}, 2 MiB).
         *
         * @param bytes at least 4096
         * @return this builder
         */
        public Builder maxResponseBytes(long bytes) {
            if (bytes < 4096) {
                throw new IllegalArgumentException("maxResponseBytes must be at least 4096");
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        /**
         * How often one request is retried after {@code badNonce} (default 25, at least 20).
         *
         * @param retries from 20 to 1000
         * @return this builder
         */
        public Builder maxBadNonceRetries(int retries) {
            if (retries < 20 || retries > 1000) {
                throw new IllegalArgumentException("maxBadNonceRetries must be between 20 and 1000");
            }
            this.maxBadNonceRetries = retries;
            return this;
        }

        /**
         * Allows an {@code http://} directory URL (default: refused). Only for tests against a
         * local server; RFC 8555 section 6.1 requires HTTPS.
         *
         * @param allow whether to allow it
         * @return this builder
         */
        public Builder allowPlainHttp(boolean allow) {
            this.allowPlainHttp = allow;
            return this;
        }

        /**
         * Builds the client. Sends nothing.
         *
         * @return the client
         * @throws IllegalStateException if the directory URL is {@code http://} without
         *     {@link #allowPlainHttp(boolean)}
         */
        public AcmeClient build() {
            if (directoryUrl.getScheme().equalsIgnoreCase("http") && !allowPlainHttp) {
                throw new IllegalStateException("directory URL " + directoryUrl
                        + " is not https; call allowPlainHttp(true) for a local test server");
            }
            return new AcmeClient(this);
        }
    }

    /** The protocol engine of this client, for package code such as {@link Containment}. */
    Session session() {
        return session;
    }

    /** For tests: the number of pooled nonces. */
    int pooledNonces() {
        return session.pooledNonces();
    }
}
