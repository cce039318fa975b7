package dev.keyward.acme;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Answers {@code http-01} (RFC 8555 section 8.3) through the caller's own HTTP server: the flow
 * deploys each token's key authorization here, and a servlet, a Jetty or Netty handler, or a JDK
 * {@code HttpHandler} mounted at {@value #PATH_PREFIX} answers with {@link #answer(String)}:
 *
 * <pre>{@code
 * Http01Lookup lookup = Http01Lookup.create();
 * server.createContext(Http01Lookup.PATH_PREFIX, exchange -> {
 *     Optional<String> body = lookup.answer(exchange.getRequestURI().getRawPath());
 *     // 200 text/plain with the body, or 404
 * });
 * }</pre>
 *
 * <p>A successful lookup also tells the flow that the CA's validator has looked, so it polls
 * the authorization once. Thread-safe.
 */
public final class Http01Lookup implements ChallengeSolver {
    /** The path prefix under which section 8.3 places tokens. */
    public static final String PATH_PREFIX = "/.well-known/acme-challenge/";

    private final Map<String, Served> served = new ConcurrentHashMap<>();

    private Http01Lookup() {
    }

    /**
     * An empty lookup.
     *
     * @return a new lookup
     */
    public static Http01Lookup create() {
        return new Http01Lookup();
    }

    /**
     * The key authorization to answer for a token, if one is deployed. Counts as the CA's look.
     *
     * @param token the last path segment of the request
     * @return the body to answer with {@code 200} and {@code text/plain}, or empty for {@code 404}
     */
    public Optional<String> keyAuthorization(String token) {
        Optional<String> answer = peek(token);
        answer.ifPresent(found -> looked(token));
        return answer;
    }

    /** The key authorization for a token, without counting as the CA's look ({@link Http01Server}). */
    Optional<String> peek(String token) {
        Served entry = token == null ? null : served.get(token);
        return entry == null ? Optional.empty() : Optional.of(entry.keyAuthorization);
    }

    /** Counts as the CA's look at a token, once its answer is on the wire ({@link Http01Server}). */
    void looked(String token) {
        Served entry = token == null ? null : served.get(token);
        if (entry != null) {
            entry.looked.countDown();
        }
    }

    /** The token a request path names, or null when it is not an http-01 path. */
    static String token(String path) {
        return path == null || !path.startsWith(PATH_PREFIX) ? null : path.substring(PATH_PREFIX.length());
    }

    /**
     * The body to answer for a request path, such as {@code /.well-known/acme-challenge/TOKEN}.
     *
     * @param path the raw request path
     * @return the key authorization, or empty for {@code 404}
     */
    public Optional<String> answer(String path) {
        if (path == null || !path.startsWith(PATH_PREFIX)) {
            return Optional.empty();
        }
        return keyAuthorization(path.substring(PATH_PREFIX.length()));
    }

    /**
     * Serves a key authorization for a token outside the flow (for example a test).
     *
     * @param token the token
     * @param keyAuthorization the key authorization (section 8.1)
     */
    public void put(String token, String keyAuthorization) {
        served.put(Objects.requireNonNull(token, "token"),
                new Served(Objects.requireNonNull(keyAuthorization, "keyAuthorization")));
    }

    /**
     * Stops serving a token.
     *
     * @param token the token
     */
    public void removeToken(String token) {
        served.remove(Objects.requireNonNull(token, "token"));
    }

    /** @return how many tokens are served now */
    public int size() {
        return served.size();
    }

    /** @return {@code Set.of("http-01")} */
    @Override
    public Set<String> challengeTypes() {
        return Set.of(Http01Challenge.TYPE);
    }

    /** @return false for wildcard names, which http-01 cannot prove (section 7.1.3) */
    @Override
    public boolean canSolve(Authorization authorization) {
        return !authorization.isWildcard();
    }

    @Override
    public void deploy(Challenge challenge) throws AcmeSolverException {
        String token = challenge.token().orElseThrow(() -> new AcmeSolverException(
                "the http-01 challenge for " + challenge.identifier().value() + " has no token", null));
        put(token, challenge.keyAuthorization());
    }

    @Override
    public void remove(Challenge challenge) {
        challenge.token().ifPresent(served::remove);
    }

    @Override
    public boolean awaitValidation(Challenge challenge, Duration timeout) throws InterruptedException {
        Served entry = challenge.token().map(served::get).orElse(null);
        return entry != null && entry.looked.await(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return "Http01Lookup{" + served.size() + " tokens}";
    }

    /** One token's answer, and whether the validator has looked. */
    private static final class Served {
        final String keyAuthorization;
        final CountDownLatch looked = new CountDownLatch(1);

        Served(String keyAuthorization) {
            this.keyAuthorization = keyAuthorization;
        }
    }
}
