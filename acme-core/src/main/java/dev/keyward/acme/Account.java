package dev.keyward.acme;

import dev.keyward.acme.internal.JsonObject;
import java.net.URI;
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
    private final Login login;
    private final Status status;
    private final String rawStatus;
    private final List<String> contacts;
    private final Boolean termsOfServiceAgreed;
    private final URI ordersUrl;

    private Account(Login login, JsonObject json) {
        this.login = login;
        this.rawStatus = json.string("status");
        this.status = Status.parse(rawStatus);
        this.contacts = List.copyOf(json.strings("contact"));
        this.termsOfServiceAgreed = json.optBoolean("termsOfServiceAgreed").orElse(null);
        this.ordersUrl = json.optUri("orders").orElse(null);
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
     * Fetches an order of this account by URL (POST-as-GET), for example to resume after a
     * restart. One request.
     *
     * @param orderUrl the order URL
     * @return the order
     * @throws AcmeException if the server refuses or cannot be reached
     */
    public Order fetchOrder(URI orderUrl) throws AcmeException {
        Objects.requireNonNull(orderUrl, "orderUrl");
        return Order.fetch(login, orderUrl);
    }

    /**
     * Fetches an authorization by URL (POST-as-GET, section 7.5). One request.
     *
     * @param authorizationUrl the authorization URL
     * @return the authorization
     * @throws AcmeException if the server refuses or cannot be reached
     */
    public Authorization fetchAuthorization(URI authorizationUrl) throws AcmeException {
        Objects.requireNonNull(authorizationUrl, "authorizationUrl");
        return Authorization.fetch(login, authorizationUrl);
    }

    @Override
    public String toString() {
        return "Account{" + url() + ", " + rawStatus + ", contacts=" + contacts + "}";
    }
}
