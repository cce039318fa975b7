package dev.keyward.acme.testkit;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/** Reads Pebble's management interface (HTTPS on loopback). */
final class ManagementClient {

    private final HttpClient client;
    private final URI base;
    private final Duration timeout;

    ManagementClient(HttpClient client, URI base, Duration timeout) {
        this.client = client;
        this.base = base;
        this.timeout = timeout;
    }

    /** The JSON document of {@code GET /cert-status-by-serial/<hex>}. */
    String certificateStatus(BigInteger serial) {
        if (serial.signum() < 0) {
            throw new IllegalArgumentException("a certificate serial is never negative: " + serial);
        }
        return get("cert-status-by-serial/" + serial.toString(16))
                .orElseThrow(() -> new NoSuchElementException(
                        "Pebble has issued no certificate with serial " + serial.toString(16)));
    }

    /** Whether the status document says {@code "Status": "Revoked"}. */
    boolean isRevoked(BigInteger serial) {
        String status = certificateStatus(serial);
        return Json.plainStringMember(status, "Status")
                .orElseThrow(() -> new IllegalStateException("Pebble's certificate status has no Status: " + status))
                .equals("Revoked");
    }

    /** The certificates of {@code /<kind>/0} to {@code /<kind>/<chains - 1>}, in that order. */
    List<java.security.cert.X509Certificate> certificates(String kind, int chains) {
        List<java.security.cert.X509Certificate> certificates = new ArrayList<>();
        for (int chain = 0; chain < chains; chain++) {
            String path = kind + "/" + chain;
            certificates.addAll(Pem.certificates(get(path)
                    .orElseThrow(() -> new IllegalStateException("Pebble does not serve /" + path))));
        }
        return List.copyOf(certificates);
    }

    /**
     * Makes Pebble 2.10's {@code renewalInfo} answer {@code ariResponseJson} for {@code certificate}
     * ({@code POST /set-renewal-info/}).
     */
    void setRenewalInfo(java.security.cert.X509Certificate certificate, String ariResponseJson) {
        String body = "{\"Certificate\": " + Json.quote(Pem.encode(certificate)) + ", \"ARIResponse\": "
                + Json.quote(ariResponseJson) + "}";
        HttpRequest request = HttpRequest.newBuilder(base.resolve("set-renewal-info/")).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new UncheckedIOException(new IOException("POST " + request.uri() + " answered "
                        + response.statusCode() + ": " + response.body()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted during POST " + request.uri()));
        }
    }

    private Optional<String> get(String path) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET().build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw new UncheckedIOException(new IOException("GET " + request.uri() + " answered "
                        + response.statusCode() + ": " + response.body()));
            }
            return Optional.of(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted during GET " + request.uri()));
        }
    }
}
