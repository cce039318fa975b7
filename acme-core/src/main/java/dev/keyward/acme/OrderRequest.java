package dev.keyward.acme;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A {@code newOrder} request (RFC 8555 section 7.4): the identifiers to certify and optional
 * {@code notBefore}/{@code notAfter}. {@link #create()} sends it.
 *
 * <p>A request builder, not a snapshot: each method changes this object. Not thread-safe; use
 * once ({@link Account#newOrder()} gives a fresh one).
 */
public final class OrderRequest {
    private final Login login;
    private final Set<Identifier> identifiers = new LinkedHashSet<>();
    private Instant notBefore;
    private Instant notAfter;

    OrderRequest(Login login) {
        this.login = login;
    }

    /**
     * Adds {@code dns} identifiers; a name starting with {@code *.} is a wildcard.
     *
     * @param domains the names
     * @return this request
     * @throws IllegalArgumentException if a name is not a valid domain name
     */
    public OrderRequest domains(String... domains) {
        for (String domain : domains) {
            identifiers.add(Identifier.dns(domain));
        }
        return this;
    }

    /**
     * Adds {@code dns} identifiers.
     *
     * @param domains the names
     * @return this request
     */
    public OrderRequest domains(List<String> domains) {
        return domains(domains.toArray(new String[0]));
    }

    /**
     * Adds an identifier of any type.
     *
     * @param identifier the identifier
     * @return this request
     */
    public OrderRequest identifier(Identifier identifier) {
        identifiers.add(Objects.requireNonNull(identifier, "identifier"));
        return this;
    }

    /**
     * Asks for a certificate valid from this instant (many CAs refuse it).
     *
     * @param instant the start of validity
     * @return this request
     */
    public OrderRequest notBefore(Instant instant) {
        this.notBefore = Objects.requireNonNull(instant, "notBefore");
        return this;
    }

    /**
     * Asks for a certificate valid until this instant (many CAs refuse it).
     *
     * @param instant the end of validity
     * @return this request
     */
    public OrderRequest notAfter(Instant instant) {
        this.notAfter = Objects.requireNonNull(instant, "notAfter");
        return this;
    }

    /**
     * Sends the order. One request.
     *
     * @return the new order, usually {@code pending} with one authorization per identifier
     * @throws IllegalStateException if no identifier was added, or notBefore is after notAfter
     * @throws AcmeException if the server refuses (for example {@code rejectedIdentifier}) or
     *     cannot be reached
     */
    public Order create() throws AcmeException {
        if (identifiers.isEmpty()) {
            throw new IllegalStateException("an order needs at least one identifier");
        }
        if (notBefore != null && notAfter != null && notBefore.isAfter(notAfter)) {
            throw new IllegalStateException("notBefore is after notAfter");
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        List<Map<String, String>> ids = new ArrayList<>();
        for (Identifier id : identifiers) {
            ids.add(Map.of("type", id.type(), "value", id.value()));
        }
        payload.put("identifiers", ids);
        if (notBefore != null) {
            payload.put("notBefore", notBefore.toString());
        }
        if (notAfter != null) {
            payload.put("notAfter", notAfter.toString());
        }
        var newOrder = login.session().directory().newOrder();
        Login.Fetched fetched = login.post(newOrder, payload, "newOrder " + newOrder);
        return Order.of(login, fetched.location("newOrder " + newOrder), fetched, null);
    }
}
