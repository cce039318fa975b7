package dev.keyward.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An OkHttp application interceptor that counts every request a client sends, by method and
 * {@link RequestKind}, and remembers the paths it could not classify and the responses that were
 * errors (a {@code badNonce} retry shows up as a 400 followed by a second request of the same kind).
 * Thread-safe.
 */
final class RequestCounter implements Interceptor {
    private final Map<RequestKind, Integer> byKind = new EnumMap<>(RequestKind.class);
    private final Map<String, Integer> byMethodAndKind = new TreeMap<>();
    private final List<String> unclassified = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private int total;

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        String path = request.url().encodedPath();
        RequestKind kind = RequestKind.of(path);
        String key = request.method() + " " + kind.label();
        synchronized (this) {
            total++;
            byKind.merge(kind, 1, Integer::sum);
            byMethodAndKind.merge(key, 1, Integer::sum);
            if (kind == RequestKind.OTHER) {
                unclassified.add(request.method() + " " + path);
            }
        }
        Response response = chain.proceed(request);
        if (response.code() >= 400) {
            synchronized (this) {
                errors.add(key + " -> " + response.code());
            }
        }
        return response;
    }

    /** @return how many requests were sent */
    synchronized int total() {
        return total;
    }

    /**
     * @param kind a kind of request
     * @return how many requests of that kind were sent
     */
    synchronized int count(RequestKind kind) {
        return byKind.getOrDefault(kind, 0);
    }

    /** @return the counts keyed by {@code "METHOD kind"}, sorted by key */
    synchronized Map<String, Integer> byMethodAndKind() {
        return Collections.unmodifiableMap(new TreeMap<>(byMethodAndKind));
    }

    /** @return {@code "METHOD path"} of each request that matched no {@link RequestKind} */
    synchronized List<String> unclassified() {
        return List.copyOf(unclassified);
    }

    /** @return {@code "METHOD kind -> status"} of each response with a 4xx or 5xx status */
    synchronized List<String> errors() {
        return List.copyOf(errors);
    }
}
