package dev.keyward.acme.testkit;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A client for the management API of {@code pebble-challtestsrv}, the mock DNS server that Pebble's
 * validator asks during a {@link PebbleServer} run. It publishes the TXT records of dns-01 challenges
 * (RFC 8555 section 8.4) and A records of test hosts.
 *
 * <p>Host names are matched exactly (case-sensitively) as fully qualified names; this client appends
 * the final dot when it is missing. Instances are immutable and thread-safe. Every call is bounded by
 * the timeout given at creation and throws {@link UncheckedIOException} when challtestsrv cannot be
 * reached, does not answer in time, or rejects the request.
 */
public final class ChallengeTestServer {

    /** The timeout of each call unless another is given: 10 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final URI managementUri;
    private final Duration timeout;
    private final HttpClient client;

    private ChallengeTestServer(URI managementUri, Duration timeout) {
        this.managementUri = managementUri;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .proxy(HttpClient.Builder.NO_PROXY)
                .build();
    }

    /**
     * Returns a client of the management API at {@code managementUri} (for example
     * {@code http://127.0.0.1:8055/}) with the {@linkplain #DEFAULT_TIMEOUT default timeout}.
     *
     * @param managementUri the base URI of the management API
     * @return the client
     * @throws IllegalArgumentException if the URI is not an absolute {@code http} URI
     */
    public static ChallengeTestServer of(URI managementUri) {
        return of(managementUri, DEFAULT_TIMEOUT);
    }

    /**
     * Returns a client of the management API at {@code managementUri} whose calls each take at most
     * {@code timeout}.
     *
     * @param managementUri the base URI of the management API
     * @param timeout       the longest time connecting, and then answering, may each take
     * @return the client
     * @throws IllegalArgumentException if the URI is not an absolute {@code http} URI or the timeout is
     *                                  not positive
     */
    public static ChallengeTestServer of(URI managementUri, Duration timeout) {
        Objects.requireNonNull(managementUri, "managementUri");
        Objects.requireNonNull(timeout, "timeout");
        if (!"http".equals(managementUri.getScheme()) || managementUri.getHost() == null) {
            throw new IllegalArgumentException("challtestsrv's management API is plain http: " + managementUri);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        String base = managementUri.toString();
        return new ChallengeTestServer(URI.create(base.endsWith("/") ? base : base + "/"), timeout);
    }

    /**
     * The base URI of the management API, ending with a slash.
     *
     * @return the base URI
     */
    public URI managementUri() {
        return managementUri;
    }

    /**
     * Adds {@code value} to the TXT records of {@code host} ({@code POST /set-txt}). Values accumulate:
     * challtestsrv keeps every value set for a host, so a name can carry the two values that a
     * wildcard and its base domain need, until {@link #clearTxt(String)}.
     *
     * @param host  a DNS name such as {@code _acme-challenge.example.test}; a final dot is added
     * @param value the record's text, for dns-01 the base64url SHA-256 digest of the key authorization
     */
    public void setTxt(String host, String value) {
        Objects.requireNonNull(value, "value");
        post("set-txt", "{\"host\": " + Json.quote(fullyQualified(host)) + ", \"value\": " + Json.quote(value) + "}");
    }

    /**
     * Removes every TXT record of {@code host} ({@code POST /clear-txt}).
     *
     * @param host a DNS name; a final dot is added
     */
    public void clearTxt(String host) {
        post("clear-txt", "{\"host\": " + Json.quote(fullyQualified(host)) + "}");
    }

    /**
     * Makes A queries for {@code host} answer {@code addresses} instead of the default 127.0.0.1
     * ({@code POST /add-a}).
     *
     * @param host      a DNS name; a final dot is added
     * @param addresses IPv4 address literals, at least one
     */
    public void addA(String host, List<String> addresses) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("at least one address is needed for " + host);
        }
        String list = addresses.stream().map(Json::quote).collect(Collectors.joining(", ", "[", "]"));
        post("add-a", "{\"host\": " + Json.quote(fullyQualified(host)) + ", \"addresses\": " + list + "}");
    }

    /**
     * Removes the A records added for {@code host}, so that it answers the default again
     * ({@code POST /clear-a}).
     *
     * @param host a DNS name; a final dot is added
     */
    public void clearA(String host) {
        post("clear-a", "{\"host\": " + Json.quote(fullyQualified(host)) + "}");
    }

    static String fullyQualified(String host) {
        Objects.requireNonNull(host, "host");
        String trimmed = host.strip();
        if (trimmed.isEmpty() || trimmed.equals(".")) {
            throw new IllegalArgumentException("host must be a DNS name: '" + host + "'");
        }
        return trimmed.endsWith(".") ? trimmed : trimmed + ".";
    }

    private void post(String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(managementUri.resolve(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new UncheckedIOException(new IOException("POST " + request.uri() + " with " + json
                        + " answered " + response.statusCode() + " " + response.body()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted during POST " + request.uri()));
        }
    }
}
