package dev.keyward.acme.internal;

import java.net.URI;
import java.net.URISyntaxException;
import okhttp3.HttpUrl;

/** Which URLs the client can send requests to: absolute http(s) URLs that OkHttp accepts. */
public final class HttpUrls {
    private HttpUrls() {
    }

    /**
     * Whether a request can be sent to the URI.
     *
     * @param uri the URI, or {@code null}
     * @return whether it is an absolute http(s) URL with a valid host
     */
    public static boolean isUsable(URI uri) {
        if (uri == null || !uri.isAbsolute() || uri.getHost() == null) {
            return false;
        }
        String scheme = uri.getScheme();
        return ("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))
                && HttpUrl.parse(uri.toString()) != null;
    }

    /**
     * Parses text as a usable URL.
     *
     * @param text the text
     * @return the URL, or {@code null} when it is not a usable http(s) URL
     */
    public static URI parse(String text) {
        try {
            URI uri = new URI(text);
            return isUsable(uri) ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
