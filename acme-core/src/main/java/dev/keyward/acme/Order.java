package dev.keyward.acme;

import dev.keyward.acme.internal.Base64Url;
import dev.keyward.acme.internal.JsonObject;
import java.net.URI;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An order (RFC 8555 section 7.1.3) as the server last described it. Immutable: every method that
 * talks to the server returns a new snapshot and says how many requests it sends.
 *
 * <p>The flow of section 7.4: {@link #fetchAuthorizations()}, answer a challenge of each, then
 * {@link #finalizeWith(AcmeSigner)} (or {@link #finalizeWith(Csr)}), {@link #awaitCompletion()}
 * and {@link #downloadCertificate()}.
 */
public final class Order {
    private static final Set<Status> WAITING = EnumSet.of(Status.PENDING, Status.PROCESSING);

    private final Login login;
    private final URI url;
    private final String rawStatus;
    private final Status status;
    private final Instant expires;
    private final List<Identifier> identifiers;
    private final Instant notBefore;
    private final Instant notAfter;
    private final Problem error;
    private final List<URI> authorizationUrls;
    private final URI finalizeUrl;
    private final URI certificateUrl;
    private final Instant retryAfter;
    private final PublicKey csrPublicKey;
    private final String profile;
    private final String replaces;

    private Order(Login login, URI url, JsonObject json, Instant retryAfter, PublicKey csrPublicKey) {
        this.login = login;
        this.url = url;
        this.rawStatus = Status.raw(json);
        this.status = Status.parse(rawStatus);
        this.expires = json.optInstant("expires").orElse(null);
        List<Identifier> ids = new ArrayList<>();
        for (JsonObject id : json.objects("identifiers")) {
            ids.add(Identifier.parse(id));
        }
        if (ids.isEmpty()) {
            throw new AcmeProtocolException("order " + url + " has no identifiers");
        }
        this.identifiers = List.copyOf(ids);
        this.notBefore = json.optInstant("notBefore").orElse(null);
        this.notAfter = json.optInstant("notAfter").orElse(null);
        this.error = json.optObject("error").map(Problems::parse).orElse(null);
        if (!json.has("authorizations")) {
            throw new AcmeProtocolException("order " + url + " lacks the required field 'authorizations'"
                    + " (RFC 8555 section 7.1.3)");
        }
        // The same URL listed twice is one authorization: fetched, answered and deactivated once.
        this.authorizationUrls = List.copyOf(new java.util.LinkedHashSet<>(json.uris("authorizations")));
        this.finalizeUrl = json.uri("finalize");
        this.certificateUrl = json.optUri("certificate").orElse(null);
        this.retryAfter = retryAfter;
        this.csrPublicKey = csrPublicKey;
        this.profile = json.optString("profile").orElse(null);
        this.replaces = json.optString("replaces").orElse(null);
    }

    static Order of(Login login, URI url, Login.Fetched fetched, PublicKey csrPublicKey) {
        return new Order(login, url, fetched.json, fetched.retryAfter, csrPublicKey);
    }

    static Order fetch(Login login, URI url) throws AcmeException {
        return of(login, url, login.fetch(url, "order " + url), null);
    }

    /** @return the order URL; store it to resume after a restart */
    public URI url() {
        return url;
    }

    /** @return the status (section 7.1.6); {@link Status#UNKNOWN} for a string RFC 8555 does not define */
    public Status status() {
        return status;
    }

    /** @return the status string exactly as the server sent it (Pebble says {@code deactivated}) */
    public String rawStatus() {
        return rawStatus;
    }

    /** @return when the order expires, if the server said */
    public Optional<Instant> expires() {
        return Optional.ofNullable(expires);
    }

    /** @return the identifiers of the order, in the server's order */
    public List<Identifier> identifiers() {
        return identifiers;
    }

    /**
     * The certificate profile of the order (draft-ietf-acme-profiles section 4).
     *
     * @return the profile name, or empty when the CA did not say
     */
    public Optional<String> profile() {
        return Optional.ofNullable(profile);
    }

    /**
     * The ARI certificate identifier of the certificate this order replaces (RFC 9773 section 5).
     *
     * @return the identifier, or empty
     */
    public Optional<String> replaces() {
        return Optional.ofNullable(replaces);
    }

    /** @return the requested start of validity, if any */
    public Optional<Instant> notBefore() {
        return Optional.ofNullable(notBefore);
    }

    /** @return the requested end of validity, if any */
    public Optional<Instant> notAfter() {
        return Optional.ofNullable(notAfter);
    }

    /** @return the error that made the order invalid, if any */
    public Optional<Problem> error() {
        return Optional.ofNullable(error);
    }

    /** @return the URLs of the order's authorizations, each once, in the server's order */
    public List<URI> authorizationUrls() {
        return authorizationUrls;
    }

    /** @return the {@code finalize} URL (section 7.4) */
    public URI finalizeUrl() {
        return finalizeUrl;
    }

    /** @return the certificate URL, once the order is {@code valid} */
    public Optional<URI> certificateUrl() {
        return Optional.ofNullable(certificateUrl);
    }

    /** @return the instant of the {@code Retry-After} header of the response this snapshot came from */
    public Optional<Instant> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * Fetches the order again (POST-as-GET). One request.
     *
     * @return the fresh snapshot
     * @throws AcmeException if the server refuses or cannot be reached
     */
    public Order fetch() throws AcmeException {
        return of(login, url, login.fetch(url, "order " + url), csrPublicKey);
    }

    /**
     * Fetches every authorization of the order (section 7.5). One request per authorization.
     *
     * @return the authorizations, in the order's order
     * @throws AcmeException if the server refuses or cannot be reached
     */
    public List<Authorization> fetchAuthorizations() throws AcmeException {
        List<Authorization> out = new ArrayList<>();
        for (URI authz : authorizationUrls) {
            out.add(Authorization.fetch(login, authz));
        }
        return out;
    }

    /**
     * Finalizes the order with a CSR that Keyward builds for the order's identifiers (section
     * 7.4), signed by the certificate key's signer, which may live in an HSM or KMS. One request.
     *
     * @param certificateKey the signer of the key to certify; must not be the account key
     * @return the order as the server answered, usually {@code processing} or {@code valid}
     * @throws AcmeException if the server refuses (for example {@code orderNotReady}, {@code badCSR})
     */
    public Order finalizeWith(AcmeSigner certificateKey) throws AcmeException {
        Objects.requireNonNull(certificateKey, "certificateKey");
        if (certificateKey.publicKey().equals(login.signer().publicKey())) {
            throw new IllegalArgumentException("the certificate key must differ from the account key (RFC 8555 section 11.1)");
        }
        return finalizeWith(Csr.builder().identifiers(identifiers).build(certificateKey));
    }

    /**
     * Finalizes the order with a caller-supplied CSR (section 7.4), for example one taken from a
     * database. One request. The certificate downloaded later is checked against its public key.
     *
     * @param csr the certificate signing request
     * @return the order as the server answered
     * @throws AcmeException if the server refuses (for example {@code badCSR})
     */
    public Order finalizeWith(Csr csr) throws AcmeException {
        Objects.requireNonNull(csr, "csr");
        Login.Fetched fetched = login.post(finalizeUrl, Map.of("csr", Base64Url.encode(csr.der())),
                "finalize " + finalizeUrl);
        return of(login, url, fetched, csr.publicKey());
    }

    /**
     * Polls the order while it is {@code pending} or {@code processing}, with the client's
     * {@link PollPolicy} (section 7.5.1 / 7.4). One request per poll.
     *
     * @return the order once {@code ready} or {@code valid}
     * @throws AcmeServerException with the order's error when it becomes {@code invalid}
     * @throws AcmeTimeoutException at the policy's deadline
     */
    public Order awaitCompletion() throws AcmeException {
        return awaitCompletion(login.session().pollPolicy());
    }

    /**
     * As {@link #awaitCompletion()}, with the given policy.
     *
     * @param policy how to poll
     * @return the order once {@code ready} or {@code valid}
     * @throws AcmeException as {@link #awaitCompletion()}
     */
    public Order awaitCompletion(PollPolicy policy) throws AcmeException {
        Order done = Poller.await(this, WAITING, Order::fetch, Order::status, Order::retryAfter, policy, login.session(), "order " + url,
                status == Status.PROCESSING ? policy.finalizeDelay() : policy.initialDelay());
        if (done.status == Status.READY || done.status == Status.VALID) {
            return done;
        }
        Problem problem = done.error != null ? done.error
                : Problem.of(java.net.URI.create("about:blank"), "order " + url + " became " + done.rawStatus, null);
        throw new AcmeServerException(problem, null);
    }

    /**
     * Downloads the certificate chain of a {@code valid} order (section 7.4.2), with the URLs of
     * alternate chains. One request. Checks that the leaf certifies the CSR's public key when this
     * snapshot descends from {@link #finalizeWith}; for an order fetched by URL, use
     * {@link #downloadCertificate(java.security.PublicKey)}.
     *
     * @return the chain
     * @throws IllegalStateException if the order has no certificate URL yet
     * @throws AcmeProtocolException if the chain is malformed or the leaf's key is not the CSR's
     * @throws AcmeException if the server refuses or cannot be reached
     */
    public CertificateChain downloadCertificate() throws AcmeException {
        return CertificateChain.download(login, requireCertificateUrl(), csrPublicKey);
    }

    /**
     * As {@link #downloadCertificate()}, checking the leaf against a public key the caller knows:
     * for an order resumed from its URL, which does not remember the CSR. One request.
     *
     * @param expectedKey the public key of the certificate key
     * @return the chain
     * @throws AcmeProtocolException if the leaf does not certify {@code expectedKey}
     * @throws AcmeException if the server refuses or cannot be reached
     */
    public CertificateChain downloadCertificate(java.security.PublicKey expectedKey) throws AcmeException {
        Objects.requireNonNull(expectedKey, "expectedKey");
        return CertificateChain.download(login, requireCertificateUrl(), expectedKey);
    }

    /**
     * Downloads the default chain and every alternate chain the server links to
     * ({@code Link: rel="alternate"}, section 7.4.2). One request per chain.
     *
     * @return the default chain first, then the alternates
     * @throws AcmeException if the server refuses or cannot be reached
     */
    public List<CertificateChain> downloadCertificates() throws AcmeException {
        CertificateChain main = downloadCertificate();
        List<CertificateChain> all = new ArrayList<>();
        all.add(main);
        for (URI alternate : main.alternateUrls()) {
            all.add(CertificateChain.download(login, alternate, csrPublicKey));
        }
        return all;
    }

    /**
     * Deactivates every authorization of the order that is still {@code pending} or {@code valid}
     * (section 7.5.2), so that a stolen account key cannot reuse them. A good habit once the
     * certificate is downloaded. One request per authorization: each is deactivated at once; only
     * one the CA refuses to deactivate (deactivated, expired or invalid already) is fetched to
     * report how it stands.
     *
     * @return the authorizations as they stand afterwards
     * @throws AcmeException if the server refuses to deactivate a live authorization or cannot be
     *     reached
     */
    public List<Authorization> deactivateAuthorizations() throws AcmeException {
        List<Authorization> out = new ArrayList<>();
        for (URI authorizationUrl : authorizationUrls) {
            try {
                out.add(Authorization.deactivate(login, authorizationUrl));
            } catch (AcmeServerException refused) {
                Authorization current = Authorization.fetch(login, authorizationUrl);
                if (current.status() == Status.VALID || current.status() == Status.PENDING) {
                    throw refused;
                }
                out.add(current);
            }
        }
        return out;
    }

    /** Downloads one chain by URL (an alternate, section 7.4.2), checking the leaf against the key. */
    CertificateChain downloadChain(URI chainUrl, PublicKey expectedKey) throws AcmeException {
        return CertificateChain.download(login, chainUrl, expectedKey);
    }

    private URI requireCertificateUrl() {
        if (certificateUrl == null) {
            throw new IllegalStateException("order " + url + " has no certificate yet (status " + rawStatus + ")");
        }
        return certificateUrl;
    }

    @Override
    public String toString() {
        return "Order{" + url + ", " + rawStatus + ", " + identifiers + "}";
    }
}
