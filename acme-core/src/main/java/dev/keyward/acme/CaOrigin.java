package dev.keyward.acme;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * The one check every fetch by a caller's URL makes before signing: the URL's origin (scheme,
 * host, port; RFC 6454 section 4) is the directory URL's. Hosts are compared without case; a
 * missing port counts as the scheme's default (443 for https, 80 for http).
 */
final class CaOrigin {
    private CaOrigin() {
    }

    /** Returns the URL, or throws when it is not on the directory's origin. */
    static URI require(URI directoryUrl, URI url) {
        Objects.requireNonNull(url, "url");
        if (!of(directoryUrl).equals(of(url))) {
            throw new AcmeForeignUrlException(url, directoryUrl);
        }
        return url;
    }

    /** {@code scheme://host:port} in lower case, or {@code "(no origin)"} for an opaque or relative URI. */
    static String of(URI uri) {
        if (uri.getScheme() == null || uri.getHost() == null) {
            return "(no origin)";
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        if (port == -1) {
            port = scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
        }
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }
}
