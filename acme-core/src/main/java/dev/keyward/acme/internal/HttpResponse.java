package dev.keyward.acme.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A fully read HTTP response: status, headers (names in lower case) and a size-capped body. */
public final class HttpResponse {
    private final URI url;
    private final int code;
    private final Map<String, List<String>> headers;
    private final byte[] body;

    /**
     * Creates a response.
     *
     * @param url the request URL
     * @param code the HTTP status
     * @param headers header values by lower-case name
     * @param body the body, possibly empty
     */
    public HttpResponse(URI url, int code, Map<String, List<String>> headers, byte[] body) {
        this.url = url;
        this.code = code;
        this.headers = Map.copyOf(headers);
        this.body = body;
    }

    /** @return the request URL */
    public URI url() {
        return url;
    }

    /** @return the HTTP status code */
    public int code() {
        return code;
    }

    /** @return the body bytes (not copied; do not modify) */
    public byte[] body() {
        return body;
    }

    /** @return the body as UTF-8 text */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The first value of a header.
     *
     * @param name the header name, any case
     * @return the value, or empty
     */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * Every value of a header.
     *
     * @param name the header name, any case
     * @return the values, possibly empty
     */
    public List<String> headers(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** @return the media type without parameters, in lower case, or "" */
    public String mediaType() {
        String ct = header("Content-Type").orElse("");
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Targets of the {@code Link} headers with a relation.
     *
     * @param relation for example {@code alternate}
     * @return the targets
     */
    public List<URI> links(String relation) {
        return LinkHeaders.targets(headers("Link"), relation, url);
    }
}
