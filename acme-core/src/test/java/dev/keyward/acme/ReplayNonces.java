package dev.keyward.acme;

import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.keyward.acme.internal.Base64Url;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WireMock extension that plays the server's nonce service (RFC 8555 section 7.2): every answer
 * to a HEAD or POST gets a fresh {@code Replay-Nonce} unless its stub set one, and every exchange
 * is logged in order with the nonce it handed out.
 */
final class ReplayNonces implements ResponseTransformerV2 {
    /** One request and the nonce its response handed out ({@code null} when none). */
    static final class Exchange {
        final String method;
        final String path;
        final String body;
        final int status;
        final String issuedNonce;

        Exchange(String method, String path, String body, int status, String issuedNonce) {
            this.method = method;
            this.path = path;
            this.body = body;
            this.status = status;
            this.issuedNonce = issuedNonce;
        }

        @Override
        public String toString() {
            return method + " " + path + " -> " + status + " (nonce " + issuedNonce + ")";
        }
    }

    private final AtomicInteger counter = new AtomicInteger();
    private final List<Exchange> log = new CopyOnWriteArrayList<>();

    @Override
    public Response transform(Response response, ServeEvent serveEvent) {
        String method = serveEvent.getRequest().getMethod().getName();
        HttpHeader existing = response.getHeaders().getHeader("Replay-Nonce");
        String nonce = existing.isPresent() ? existing.firstValue() : null;
        Response out = response;
        if (nonce == null && (method.equals("POST") || method.equals("HEAD"))) {
            nonce = next();
            out = Response.Builder.like(response).but()
                    .headers(response.getHeaders().plus(new HttpHeader("Replay-Nonce", nonce)))
                    .build();
        }
        log.add(new Exchange(method, serveEvent.getRequest().getUrl(), serveEvent.getRequest().getBodyAsString(),
                response.getStatus(), nonce));
        return out;
    }

    @Override
    public String getName() {
        return "acme-replay-nonces";
    }

    void reset() {
        log.clear();
    }

    List<Exchange> exchanges() {
        return List.copyOf(log);
    }

    /** A unique base64url nonce of 22 characters, like Pebble's. */
    private String next() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("nonce-" + counter.incrementAndGet()).getBytes(StandardCharsets.US_ASCII));
            return Base64Url.encode(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
