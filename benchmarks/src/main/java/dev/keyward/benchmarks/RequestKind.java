package dev.keyward.benchmarks;

/**
 * What an ACME request is for, told from the URL path Pebble 2.4 gives each resource (RFC 8555
 * section 7.1: the directory names the first four; the others come from the resources themselves).
 */
enum RequestKind {
    DIRECTORY("directory", "/dir", false),
    NEW_NONCE("newNonce", "/nonce-plz", false),
    NEW_ACCOUNT("newAccount", "/sign-me-up", false),
    ACCOUNT("account", "/my-account/", true),
    NEW_ORDER("newOrder", "/order-plz", false),
    AUTHORIZATION("authz", "/authZ/", true),
    CHALLENGE("challenge", "/chalZ/", true),
    FINALIZE("finalize", "/finalize-order/", true),
    ORDER("order", "/my-order/", true),
    CERTIFICATE("cert", "/certZ/", true),
    RENEWAL_INFO("renewalInfo", "/draft-ietf-acme-ari-03/renewalInfo/", true),
    OTHER("other", null, false);

    private final String label;
    private final String path;
    private final boolean prefix;

    RequestKind(String label, String path, boolean prefix) {
        this.label = label;
        this.path = path;
        this.prefix = prefix;
    }

    /** @return the short name printed in the reports */
    String label() {
        return label;
    }

    /**
     * Classifies a request by its URL path.
     *
     * @param urlPath the path of the request URL, such as {@code /authZ/abc}
     * @return the kind, {@link #OTHER} when no Pebble resource has that path
     */
    static RequestKind of(String urlPath) {
        for (RequestKind kind : values()) {
            if (kind.path != null && (kind.prefix ? urlPath.startsWith(kind.path) : urlPath.equals(kind.path))) {
                return kind;
            }
        }
        return OTHER;
    }
}
