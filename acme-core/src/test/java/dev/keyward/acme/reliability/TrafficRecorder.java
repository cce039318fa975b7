package dev.keyward.acme.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;

/**
 * An OkHttp application interceptor that records every exchange a client sends: method, URL, the
 * decoded protected header and payload of a JWS body (RFC 8555 section 6.2), the status, the
 * problem type of an error (section 6.7), and when the call started and ended. It also tracks how
 * many calls were in flight at once and the largest connection count the pool reported.
 * Thread-safe; it changes nothing on the wire.
 */
final class TrafficRecorder implements Interceptor {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_PROBLEM_BYTES = 64 * 1024;

    /** One request and its answer. */
    record Exchange(String method, String url, JsonNode protectedHeader, JsonNode payload, int code,
                    String problemType, long startNanos, long endNanos, String thread) {

        boolean isPost() {
            return method.equals("POST");
        }

        /** @return the {@code nonce} of the JWS protected header, if any */
        Optional<String> nonce() {
            return text(protectedHeader, "nonce");
        }

        /** @return the {@code url} of the JWS protected header, if any */
        Optional<String> jwsUrl() {
            return text(protectedHeader, "url");
        }

        boolean isBadNonce() {
            return "urn:ietf:params:acme:error:badNonce".equals(problemType);
        }
    }

    private final ConcurrentLinkedQueue<Exchange> exchanges = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger maxConnections = new AtomicInteger();
    private volatile IntSupplier connectionCount = () -> 0;

    /**
     * Samples this connection count after every exchange, for {@link #maxConnections()}.
     *
     * @param count for example {@code client.connectionPool()::connectionCount}
     */
    void sampleConnections(IntSupplier count) {
        this.connectionCount = count;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        String body = bodyOf(request);
        long start = System.nanoTime();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        Response response;
        try {
            response = chain.proceed(request);
        } finally {
            inFlight.decrementAndGet();
        }
        long end = System.nanoTime();
        maxConnections.accumulateAndGet(connectionCount.getAsInt(), Math::max);
        String problemType = null;
        if (response.code() >= 400) {
            problemType = problemType(response.peekBody(MAX_PROBLEM_BYTES).string());
        }
        JsonNode jws = body == null ? null : parse(body);
        exchanges.add(new Exchange(request.method(), request.url().toString(), decoded(jws, "protected"),
                decoded(jws, "payload"), response.code(), problemType, start, end, Thread.currentThread().getName()));
        return response;
    }

    /** @return every exchange so far, in the order they completed */
    List<Exchange> exchanges() {
        return new ArrayList<>(exchanges);
    }

    /** @return the POSTs so far, in the order they completed */
    List<Exchange> posts() {
        return exchanges().stream().filter(Exchange::isPost).toList();
    }

    /** @return the most calls that were in flight at the same moment */
    int maxInFlight() {
        return maxInFlight.get();
    }

    /** @return the largest connection count sampled, see {@link #sampleConnections(IntSupplier)} */
    int maxConnections() {
        return maxConnections.get();
    }

    /**
     * Decodes one base64url member of a flattened JWS (RFC 7515 section 7.2.2) as JSON.
     *
     * @return the JSON, or {@code null} when absent or empty (POST-as-GET)
     */
    static JsonNode decoded(JsonNode jws, String member) {
        if (jws == null || !jws.hasNonNull(member) || jws.get(member).asText().isEmpty()) {
            return null;
        }
        return parse(new String(Base64.getUrlDecoder().decode(jws.get(member).asText()), StandardCharsets.UTF_8));
    }

    static Optional<String> text(JsonNode node, String field) {
        return node == null || !node.hasNonNull(field) ? Optional.empty() : Optional.of(node.get(field).asText());
    }

    private static String bodyOf(Request request) throws IOException {
        if (request.body() == null) {
            return null;
        }
        Buffer buffer = new Buffer();
        request.body().writeTo(buffer);
        return buffer.readUtf8();
    }

    private static String problemType(String body) {
        JsonNode json = parse(body);
        return json == null ? null : text(json, "type").orElse(null);
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }
}
