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
    private String profile;
    private String replaces;

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
     * Asks for a certificate profile the CA lists in {@link DirectoryMeta#profiles()}
     * (draft-ietf-acme-profiles section 4). {@link #create()} refuses a profile the CA does not
     * list before it sends anything.
     *
     * @param name the profile name, for example {@code shortlived}
     * @return this request
     */
    public OrderRequest profile(String name) {
        Objects.requireNonNull(name, "profile");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a profile name must not be blank");
        }
        this.profile = name;
        return this;
    }

    /**
     * Says which certificate the new one replaces (RFC 9773 section 5), by its ARI certificate
     * identifier ({@link RenewalInfo#certificateId(java.security.cert.X509Certificate)}).
     *
     * @param certificateId the identifier of the replaced certificate
     * @return this request
     */
    public OrderRequest replaces(String certificateId) {
        Objects.requireNonNull(certificateId, "certificateId");
        if (!certificateId.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("not an ARI certificate identifier (keyIdentifier.serial, base64url): "
                    + certificateId);
        }
        this.replaces = certificateId;
        return this;
    }

    /**
     * Sends the order. One request.
     *
     * @return the new order, usually {@code pending} with one authorization per identifier
     * @throws IllegalStateException if no identifier was added, or notBefore is after notAfter
     * @throws AcmeInvalidProfileException if the profile is not one the CA lists (no request is sent),
     *     or the CA refuses it ({@code invalidProfile})
     * @throws AcmeNotSupportedException if a profile was asked for and the CA lists none
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
        if (profile != null) {
            payload.put("profile", requireOffered(login.session().directory(), profile));
        }
        if (replaces != null) {
            payload.put("replaces", replaces);
        }
        var newOrder = login.session().directory().newOrder();
        Login.Fetched fetched = login.post(newOrder, payload, "newOrder " + newOrder);
        return Order.of(login, fetched.location("newOrder " + newOrder), fetched, null);
    }

    /** The profile, if the directory lists it; a typed refusal naming the listed ones otherwise. */
    static String requireOffered(Directory directory, String profile) throws AcmeException {
        Map<String, String> offered = directory.meta().profiles();
        if (offered.isEmpty()) {
            throw new AcmeNotSupportedException("the CA at " + directory.directoryUrl()
                    + " offers no certificate profiles, so it cannot issue with profile '" + profile + "'");
        }
        if (!offered.containsKey(profile)) {
            throw AcmeInvalidProfileException.notListed(profile, offered.keySet());
        }
        return profile;
    }
}
