package dev.keyward.acme;

import dev.keyward.acme.internal.JsonObject;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An ACME account (RFC 8555 section 7.1.2) as the server last described it, bound to the signer
 * of its key. Immutable: {@link #fetch()} and {@link #updateContacts(List)} return a new snapshot.
 * Every method that talks to the server says so and throws {@link AcmeException}.
 *
 * <p>Get one from {@link AcmeClient#newAccount(AcmeSigner)}, {@link AcmeClient#findAccount(AcmeSigner)}
 * or {@link AcmeClient#fetchAccount(URI, AcmeSigner)} (to resume from a stored account URL).
 */
public final class Account {
    /** The most pages of the orders list {@link #fetchOrderUrls()} follows. */
    public static final int MAX_ORDER_PAGES = 1000;

    private final Login login;
    private final Status status;
    private final String rawStatus;
    private final List<String> contacts;
    private final Boolean termsOfServiceAgreed;
    private final URI ordersUrl;

    private Account(Login login, JsonObject json) {
        this.login = login;
        this.rawStatus = Status.raw(json);
        this.status = Status.parse(rawStatus);
        this.contacts = List.copyOf(json.strings("contact"));
        this.termsOfServiceAgreed = json.optBoolean("termsOfServiceAgreed").orElse(null);
        this.ordersUrl = json.optUri("orders").orElse(null);
    }

    private Account(Login login, Account state) {
        this.login = login;
        this.status = state.status;
        this.rawStatus = state.rawStatus;
        this.contacts = state.contacts;
        this.termsOfServiceAgreed = state.termsOfServiceAgreed;
        this.ordersUrl = state.ordersUrl;
    }

    /** This snapshot, bound to another login (after a key change the CA answered without a body). */
    private Account rebind(Login other) {
        return new Account(other, this);
    }

    static Account of(Login login, JsonObject json) {
        return new Account(login, json);
    }

    /**
     * The account URL, the {@code kid} of every request (section 7.3). Store it to resume later.
     *
     * @return the account URL
     */
    public URI url() {
        return login.accountUrl();
    }

    /**
     * The account status (section 7.1.6): {@code valid}, {@code deactivated} or {@code revoked}.
     *
     * @return the status
     */
    public Status status() {
        return status;
    }

    /**
     * The status string exactly as the server sent it.
     *
     * @return the raw status
     */
    public String rawStatus() {
        return rawStatus;
    }

    /**
     * The contact URLs, such as {@code mailto:admin@example.com} (section 7.3).
     *
     * @return the contacts, possibly empty
     */
    public List<String> contacts() {
        return contacts;
    }

    /**
     * Whether the server reported that the terms of service were agreed to.
     *
     * @return the flag, or empty when the server did not include it
     */
    public Optional<Boolean> termsOfServiceAgreed() {
        return Optional.ofNullable(termsOfServiceAgreed);
    }

    /**
     * The URL of the account's orders list (section 7.1.2.1).
     *
     * @return the URL, or empty when the server does not offer one
     */
    public Optional<URI> ordersUrl() {
        return Optional.ofNullable(ordersUrl);
    }

    /** The account URL, key and session, for package code such as {@link Containment}. */
    Login login() {
        return login;
    }

    /**
     * The signer of the account key.
     *
     * @return the signer
     */
    public AcmeSigner signer() {
        return login.signer();
    }

    /**
     * Fetches the account again (POST-as-GET, section 7.3). One request.
     *
     * @return the fresh snapshot
     * @throws AcmeException if the server refuses or cannot be reached
     */
    public Account fetch() throws AcmeException {
        return new Account(login, login.fetch(url(), "account " + url()).json);
    }

    /**
     * Replaces the account's contacts (section 7.3.2). One request.
     *
     * @param contacts the new contact URLs, for example {@code mailto:admin@example.com}; may be empty
     * @return the updated snapshot
     * @throws AcmeException if the server refuses (for example {@code invalidContact})
     */
    public Account updateContacts(List<String> contacts) throws AcmeException {
        List<String> copy = new ArrayList<>(Objects.requireNonNull(contacts, "contacts"));
        copy.forEach(c -> Objects.requireNonNull(c, "contact"));
        return new Account(login, login.post(url(), Map.of("contact", copy), "account " + url()).json);
    }

    /**
     * Starts a new order (section 7.4); nothing is sent until {@link OrderRequest#create()}.
     *
     * @return the order request builder
     */
    public OrderRequest newOrder() {
        return new OrderRequest(login);
    }

    /**
     * Gets a certificate: the whole flow of RFC 8555 section 7.4 in one call. Creates the order
     * (or resumes {@link IssuanceRequest#resumeOrder()}), reuses valid authorizations, proves
     * pending ones with the request's solvers (all answers deployed first, then all challenges
     * answered, then all polled, so ten names take about as long as one), finalizes with a CSR
     * signed by the certificate key (or the caller's CSR), downloads the chain and checks that
     * its leaf certifies that key. Transient faults are ridden out by resuming each step from the
     * server's state, within {@link IssuanceRequest#deadline()}; deployed answers are removed in
     * every outcome. Requests: for one new name, newOrder, one authorization fetch, one challenge,
     * the authorization polls, finalize, the order polls and the download; with every
     * authorization reused, newOrder, finalize, the order polls and the download.
     *
     * @param request what to issue
     * @return the chain and the valid order
     * @throws AcmeChallengeFailedException if the CA could not validate an identifier
     * @throws AcmeSolverException if no solver fits an authorization, or one cannot publish
     * @throws AcmeTimeoutException if the deadline passes
     * @throws AcmeServerException if the CA refuses (the order's problem when it became invalid)
     * @throws AcmeException if the CA cannot be reached within the deadline
     * @throws IllegalArgumentException if the certificate key is the account key, or a resumed
     *     order is for other identifiers
     */
    public IssuanceResult issue(IssuanceRequest request) throws AcmeException {
        Objects.requireNonNull(request, "request");
        return new Issuance(this, login.signer(), login.session(), request).run();
    }

    /**
     * Fetches an order of this account by URL (POST-as-GET), for example to resume after a
     * restart. One request.
     *
     * @param orderUrl the order URL, on the CA's origin (the directory URL's scheme, host and port)
     * @return the order
     * @throws AcmeForeignUrlException if the URL is not on the CA's origin; nothing is sent
     * @throws AcmeException if the server refuses or cannot be reached
     */
    public Order fetchOrder(URI orderUrl) throws AcmeException {
        Objects.requireNonNull(orderUrl, "orderUrl");
        return Order.fetch(login, CaOrigin.require(login.session().directoryUrl(), orderUrl));
    }

    /**
     * Fetches an authorization by URL (POST-as-GET, section 7.5). One request.
     *
     * @param authorizationUrl the authorization URL, on the CA's origin (the directory URL's scheme,
     *     host and port)
     * @return the authorization
     * @throws AcmeForeignUrlException if the URL is not on the CA's origin; nothing is sent
     * @throws AcmeException if the server refuses or cannot be reached
     */
    public Authorization fetchAuthorization(URI authorizationUrl) throws AcmeException {
        Objects.requireNonNull(authorizationUrl, "authorizationUrl");
        return Authorization.fetch(login, CaOrigin.require(login.session().directoryUrl(), authorizationUrl));
    }

    /**
     * States agreement to the CA's current terms of service (section 7.3.3), the answer to an
     * {@link AcmeUserActionRequiredException} about changed terms. One request.
     *
     * @return the updated snapshot
     * @throws AcmeException if the server refuses or cannot be reached
     */
    public Account agreeToTermsOfService() throws AcmeException {
        return new Account(login, login.post(url(), Map.of("termsOfServiceAgreed", true), "account " + url()).json);
    }

    /**
     * Deactivates the account (section 7.3.6): the CA refuses every later request signed for it,
     * and its pending authorizations and orders are no use to anyone. Cannot be undone. One request.
     *
     * @return the deactivated snapshot
     * @throws AcmeException if the server refuses or cannot be reached
     */
    public Account deactivate() throws AcmeException {
        return new Account(login, login.post(url(), Map.of("status", "deactivated"), "account " + url()).json);
    }

    /**
     * Replaces the account key (section 7.3.5): the inner JWS is signed by {@code newKey} with its
     * {@code jwk}, the outer by the current key with {@code kid}. Either key may live in memory, a
     * PKCS#11 token or a KMS. Afterwards the CA refuses the old key. One request; the returned
     * snapshot is the CA's answer, or this snapshot when the CA answers without a body.
     *
     * @param newKey the signer of the new account key
     * @return the account bound to the new key
     * @throws AcmeNotSupportedException if the directory offers no {@code keyChange}
     * @throws AcmeException if the server refuses (for example a new key that another account uses)
     */
    public Account changeKey(AcmeSigner newKey) throws AcmeException {
        Objects.requireNonNull(newKey, "newKey");
        if (newKey.publicKey().equals(login.signer().publicKey())) {
            throw new IllegalArgumentException("the new key is the current key");
        }
        URI keyChange = login.session().directory().keyChange()
                .orElseThrow(() -> new AcmeNotSupportedException("the CA's directory offers no keyChange"));
        String inner = dev.keyward.acme.internal.JwsWriter.keyChange(newKey, keyChange, url(), login.signer().publicKey());
        var response = login.session().post(keyChange, login.signer(), url(), inner, Session.ACCEPT_JSON);
        Login rolled = new Login(login.session(), newKey, url());
        if (response.mediaType().contains("json") && response.body().length > 0) {
            return new Account(rolled, Login.Fetched.of(response, "keyChange " + keyChange, login.session().clock().now()).json);
        }
        return this.rebind(rolled);
    }

    /**
     * Fetches the URLs of the account's orders (section 7.1.2.1), following {@code Link: rel="next"}
     * pages. One request per page, at most {@value #MAX_ORDER_PAGES} pages. What the list holds is
     * the CA's choice: RFC 8555 requires pending orders only.
     *
     * @return the order URLs, without duplicates, in the CA's order
     * @throws AcmeNotSupportedException if the account has no {@code orders} URL
     * @throws AcmeException if the server refuses or cannot be reached
     */
    public List<URI> fetchOrderUrls() throws AcmeException {
        URI page = ordersUrl().orElseThrow(() -> new AcmeNotSupportedException(
                "the CA gave account " + url() + " no orders URL"));
        java.util.Set<URI> seen = new java.util.HashSet<>();
        java.util.LinkedHashSet<URI> orders = new java.util.LinkedHashSet<>();
        for (int pages = 0; page != null && seen.add(page); pages++) {
            if (pages == MAX_ORDER_PAGES) {
                throw new AcmeProtocolException("orders list of " + url() + " has more than " + MAX_ORDER_PAGES + " pages");
            }
            Login.Fetched fetched = login.fetch(page, "orders list " + page);
            if (!fetched.json.has("orders")) {
                throw new AcmeProtocolException("orders list " + page + " lacks the required field 'orders'"
                        + " (RFC 8555 section 7.1.2.1)");
            }
            orders.addAll(fetched.json.uris("orders"));
            List<URI> next = fetched.response.links("next");
            page = next.isEmpty() ? null : next.get(0);
        }
        return List.copyOf(orders);
    }

    /**
     * Pre-authorizes an identifier ({@code newAuthz}, section 7.4.1), for CAs that offer it. One
     * request.
     *
     * @param identifier the identifier to authorize
     * @return the new authorization
     * @throws AcmeNotSupportedException if the directory has no {@code newAuthz} (most CAs)
     * @throws AcmeException if the server refuses or cannot be reached
     */
    public Authorization preAuthorize(Identifier identifier) throws AcmeException {
        return preAuthorize(identifier, false);
    }

    /**
     * Pre-authorizes a domain, optionally for all its subdomains too (RFC 9444 section 4.2:
     * {@code subdomainAuthAllowed} on newAuthz), so later orders for any subdomain reuse it. One
     * request.
     *
     * @param identifier a {@code dns} identifier
     * @param subdomainAuthAllowed whether to ask that the authorization cover subdomains
     * @return the new authorization, usually {@code pending}; read
     *     {@link Authorization#subdomainAuthAllowed()} for what the CA granted
     * @throws AcmeNotSupportedException if the directory has no {@code newAuthz}, or subdomain
     *     authorization is asked of a CA whose directory does not offer it
     * @throws AcmeException if the server refuses or cannot be reached
     */
    public Authorization preAuthorize(Identifier identifier, boolean subdomainAuthAllowed) throws AcmeException {
        Objects.requireNonNull(identifier, "identifier");
        Directory directory = login.session().directory();
        URI newAuthz = directory.newAuthz().orElseThrow(() -> new AcmeNotSupportedException(
                "the CA does not offer pre-authorization: its directory has no newAuthz (RFC 8555 section 7.4.1)"));
        if (subdomainAuthAllowed && !directory.meta().subdomainAuthAllowed()) {
            throw new AcmeNotSupportedException("the CA does not offer subdomain authorizations: its directory's meta"
                    + " lacks subdomainAuthAllowed (RFC 9444 section 4.1)");
        }
        Map<String, Object> payload = new java.util.LinkedHashMap<>();
        payload.put("identifier", Map.of("type", identifier.type(), "value", identifier.value()));
        if (subdomainAuthAllowed) {
            payload.put("subdomainAuthAllowed", true);
        }
        Login.Fetched fetched = login.post(newAuthz, payload, "newAuthz " + newAuthz);
        return Authorization.of(login, fetched.location("newAuthz " + newAuthz), fetched);
    }

    /**
     * Revokes a certificate this account obtained (or holds authorizations for), signed with the
     * account key (section 7.6). One request.
     *
     * @param certificate the certificate
     * @param reason the RFC 5280 reason, or {@code null} to send none
     * @throws AcmeAlreadyRevokedException if it was revoked already
     * @throws AcmeException if the server refuses or cannot be reached
     */
    public void revoke(X509Certificate certificate, RevocationReason reason) throws AcmeException {
        Revocation.revoke(login.session(), login.signer(), url(), certificate, reason);
    }

    @Override
    public String toString() {
        return "Account{" + url() + ", " + rawStatus + ", contacts=" + contacts + "}";
    }
}
