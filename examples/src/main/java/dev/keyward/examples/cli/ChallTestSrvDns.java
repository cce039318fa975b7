package dev.keyward.examples.cli;

import dev.keyward.acme.DnsProvider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Publishes dns-01 TXT records through the management API of {@code pebble-challtestsrv}
 * ({@code --dns01-challtestsrv URL}): {@code POST /set-txt {"host": NAME., "value": VALUE}} and
 * {@code POST /clear-txt {"host": NAME.}}, each bounded by 10 seconds. The API wants the name fully
 * qualified, so the trailing dot is added here. It removes every value of a name at once; the flow
 * removes answers only after every authorization of the order is decided, so a wildcard and its base
 * name, which share a name, both get validated. Written on the JDK's HTTP client, so the CLI needs
 * neither the test kit nor another library for it.
 */
final class ChallTestSrvDns implements DnsProvider {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    private final HttpClient http;

    /** @throws IllegalArgumentException if the URI is not an absolute http URI, as the API is plain http */
    ChallTestSrvDns(URI managementUri) {
        if (!"http".equals(managementUri.getScheme()) || managementUri.getHost() == null) {
            throw new IllegalArgumentException("challtestsrv's management API is plain http: " + managementUri);
        }
        String text = managementUri.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1)
                .proxy(HttpClient.Builder.NO_PROXY).build();
    }

    @Override
    public void setTxt(String name, String value) throws IOException, InterruptedException {
        post("set-txt", "{\"host\": " + quote(fullyQualified(name)) + ", \"value\": " + quote(value) + "}");
    }

    @Override
    public void removeTxt(String name, String value) throws IOException, InterruptedException {
        post("clear-txt", "{\"host\": " + quote(fullyQualified(name)) + "}");
    }

    private void post(String path, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
            throw new IOException("challtestsrv answered " + response.statusCode() + " to " + path + " at " + base);
        }
    }

    private static String fullyQualified(String name) {
        return name.endsWith(".") ? name : name + ".";
    }

    /** A JSON string literal (RFC 8259 section 7). */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
