package dev.keyward.acme;

import dev.keyward.acme.internal.JsonObject;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The directory of an ACME server (RFC 8555 section 7.1.1): the URLs of its resources and its
 * {@code meta} data. {@link AcmeClient#fetchDirectory()} fetches it once per client. Immutable.
 * Resource names the library does not know are kept and readable through {@link #url(String)} when
 * their value is an http(s) URL; other unknown fields are ignored.
 */
public final class Directory {
    /** The resources of RFC 8555 section 7.1.1 and RFC 9773, whose URLs must be valid. */
    private static final java.util.Set<String> KNOWN_RESOURCES =
            java.util.Set.of("newNonce", "newAccount", "newOrder", "newAuthz", "revokeCert", "keyChange", "renewalInfo");

    private final URI url;
    private final Map<String, URI> resources;
    private final DirectoryMeta meta;

    private Directory(URI url, Map<String, URI> resources, DirectoryMeta meta) {
        this.url = url;
        this.resources = resources;
        this.meta = meta;
    }

    static Directory parse(URI url, JsonObject json) {
        Map<String, URI> resources = new LinkedHashMap<>();
        for (String name : json.fieldNames()) {
            if (name.equals("meta") || !(json.value(name).orElse(null) instanceof String)) {
                continue;
            }
            if (KNOWN_RESOURCES.contains(name)) {
                resources.put(name, json.uri(name));
            } else {
                URI uri = dev.keyward.acme.internal.HttpUrls.parse(json.string(name));
                if (uri != null) {
                    resources.put(name, uri);
                }
            }
        }
        Directory directory = new Directory(url, Collections.unmodifiableMap(resources),
                DirectoryMeta.parse(json.optObject("meta")));
        directory.newNonce();
        directory.newAccount();
        directory.newOrder();
        return directory;
    }

    /**
     * The URL the directory was fetched from.
     *
     * @return the directory URL
     */
    public URI directoryUrl() {
        return url;
    }

    /**
     * {@code newNonce} (section 7.2).
     *
     * @return the URL
     */
    public URI newNonce() {
        return required("newNonce");
    }

    /**
     * {@code newAccount} (section 7.3).
     *
     * @return the URL
     */
    public URI newAccount() {
        return required("newAccount");
    }

    /**
     * {@code newOrder} (section 7.4).
     *
     * @return the URL
     */
    public URI newOrder() {
        return required("newOrder");
    }

    /**
     * {@code newAuthz} (section 7.4.1), which many CAs do not offer.
     *
     * @return the URL, or empty
     */
    public Optional<URI> newAuthz() {
        return url("newAuthz");
    }

    /**
     * {@code revokeCert} (section 7.6).
     *
     * @return the URL, or empty
     */
    public Optional<URI> revokeCert() {
        return url("revokeCert");
    }

    /**
     * {@code keyChange} (section 7.3.5).
     *
     * @return the URL, or empty
     */
    public Optional<URI> keyChange() {
        return url("keyChange");
    }

    /**
     * The {@code renewalInfo} base URL of ACME Renewal Information (RFC 9773 section 4).
     *
     * @return the URL, or empty when the CA does not offer ARI
     */
    public Optional<URI> renewalInfo() {
        return url("renewalInfo");
    }

    /**
     * Any resource URL of the directory by its field name, including ones this library does not
     * know (for example {@code renewalInfo}, RFC 9773).
     *
     * @param name the field name
     * @return the URL, or empty
     */
    public Optional<URI> url(String name) {
        return Optional.ofNullable(resources.get(name));
    }

    /**
     * Every resource URL by field name, in the server's order.
     *
     * @return an unmodifiable map
     */
    public Map<String, URI> resources() {
        return resources;
    }

    /**
     * The {@code meta} object.
     *
     * @return the meta data; empty fields when the server sent none
     */
    public DirectoryMeta meta() {
        return meta;
    }

    private URI required(String name) {
        URI uri = resources.get(name);
        if (uri == null) {
            throw new AcmeProtocolException("directory " + url + " lacks the required resource '" + name + "'");
        }
        return uri;
    }

    /**
     * What this CA supports, in one look: for each optional feature whether the directory
     * offers it (RFC 8555 section 7.1.1 {@code newAuthz}, {@code keyChange}, {@code revokeCert};
     * RFC 9773 {@code renewalInfo}; RFC 9444 {@code subdomainAuthAllowed}), the profiles with
     * their descriptions (draft-ietf-acme-profiles), whether External Account Binding is required,
     * the terms, the website, the CAA identities, and the resources and {@code meta} fields
     * Keyward does not know. Keys, in this order: {@code newAuthz}, {@code keyChange},
     * {@code revokeCert}, {@code renewalInfo}, {@code subdomainAuthAllowed}, {@code profiles},
     * {@code externalAccountRequired}, {@code termsOfService}, {@code website},
     * {@code caaIdentities}, {@code otherResources}, {@code otherMeta}.
     *
     * @return an unmodifiable, ordered map of plain values (booleans, strings, lists, maps)
     */
    public Map<String, Object> capabilities() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("newAuthz", newAuthz().isPresent());
        out.put("keyChange", keyChange().isPresent());
        out.put("revokeCert", revokeCert().isPresent());
        out.put("renewalInfo", renewalInfo().isPresent());
        out.put("subdomainAuthAllowed", meta.subdomainAuthAllowed());
        out.put("profiles", meta.profiles());
        out.put("externalAccountRequired", meta.externalAccountRequired());
        out.put("termsOfService", meta.termsOfService().map(URI::toString).orElse(null));
        out.put("website", meta.website().map(URI::toString).orElse(null));
        out.put("caaIdentities", meta.caaIdentities());
        Map<String, String> other = new LinkedHashMap<>();
        resources.forEach((name, uri) -> {
            if (!KNOWN_RESOURCES.contains(name)) {
                other.put(name, uri.toString());
            }
        });
        out.put("otherResources", Collections.unmodifiableMap(other));
        Map<String, Object> otherMeta = new LinkedHashMap<>(meta.fields());
        for (String known : java.util.List.of("termsOfService", "website", "caaIdentities", "externalAccountRequired",
                "profiles", "subdomainAuthAllowed")) {
            otherMeta.remove(known);
        }
        out.put("otherMeta", Collections.unmodifiableMap(otherMeta));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return "Directory{" + url + ", " + resources.keySet() + "}";
    }
}
