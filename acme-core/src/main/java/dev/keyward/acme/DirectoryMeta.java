package dev.keyward.acme;

import dev.keyward.acme.internal.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code meta} object of the directory (RFC 8555 section 7.1.1): terms of service, website,
 * CAA identities, whether External Account Binding is required, and every other field the server
 * sent, kept as plain values. Immutable.
 */
public final class DirectoryMeta {
    private final URI termsOfService;
    private final URI website;
    private final List<String> caaIdentities;
    private final boolean externalAccountRequired;
    private final Map<String, Object> fields;
    private final Map<String, String> profiles;

    private DirectoryMeta(URI termsOfService, URI website, List<String> caaIdentities,
                          boolean externalAccountRequired, Map<String, Object> fields) {
        this.profiles = profiles(fields.get("profiles"));
        this.termsOfService = termsOfService;
        this.website = website;
        this.caaIdentities = List.copyOf(caaIdentities);
        this.externalAccountRequired = externalAccountRequired;
        this.fields = fields;
    }

    static DirectoryMeta parse(Optional<JsonObject> meta) {
        if (meta.isEmpty()) {
            return new DirectoryMeta(null, null, List.of(), false, Map.of());
        }
        JsonObject m = meta.get();
        return new DirectoryMeta(m.optAnyUri("termsOfService").orElse(null), m.optAnyUri("website").orElse(null),
                m.strings("caaIdentities"), m.optBoolean("externalAccountRequired").orElse(false), m.toMap());
    }

    /**
     * The current terms of service.
     *
     * @return the URL, or empty
     */
    public Optional<URI> termsOfService() {
        return Optional.ofNullable(termsOfService);
    }

    /**
     * The CA's website.
     *
     * @return the URL, or empty
     */
    public Optional<URI> website() {
        return Optional.ofNullable(website);
    }

    /**
     * The CAA issuer domain names of the CA (RFC 8659).
     *
     * @return the names, possibly empty
     */
    public List<String> caaIdentities() {
        return caaIdentities;
    }

    /**
     * Whether new accounts need External Account Binding (RFC 8555 section 7.3.4).
     *
     * @return {@code true} if required
     */
    public boolean externalAccountRequired() {
        return externalAccountRequired;
    }

    /**
     * Every field of {@code meta}, known or not, as plain Java values (strings, numbers,
     * booleans, lists, maps), in the server's order.
     *
     * @return an unmodifiable map
     */
    public Map<String, Object> fields() {
        return fields;
    }

    /**
     * Whether the CA issues for subdomains on the authorization of an ancestor domain (RFC 9444
     * section 4.1, {@code meta.subdomainAuthAllowed}).
     *
     * @return true if the CA says so
     */
    public boolean subdomainAuthAllowed() {
        return Boolean.TRUE.equals(fields.get("subdomainAuthAllowed"));
    }

    /**
     * The certificate profiles the CA offers (draft-ietf-acme-profiles section 3): name to a
     * human-readable description, in the CA's order. Empty when the CA offers none.
     *
     * @return an unmodifiable map of profile names to descriptions
     */
    public Map<String, String> profiles() {
        return profiles;
    }

    /** {@code meta.profiles}: an object of strings; a description that is no string is kept as text. */
    private static Map<String, String> profiles(Object value) {
        if (!(value instanceof Map)) {
            return Map.of();
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
            Object description = entry.getValue();
            out.put(String.valueOf(entry.getKey()), description == null ? "" : String.valueOf(description));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return "DirectoryMeta" + fields;
    }
}
