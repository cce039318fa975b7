package dev.keyward.acme.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A small HTTP/1.1 server that answers http-01 challenges (RFC 8555 section 8.3): a
 * {@code GET /.well-known/acme-challenge/{token}} of a served token answers 200 with the key
 * authorization as {@code text/plain}; anything else answers 404 (405 for other methods on a token).
 *
 * <p>It counts the fetches of each token, so that a test can wait for the CA's validator without
 * polling. It is thread-safe: a validator may fetch a token several times at once, as Pebble does. It
 * runs on the JDK's built-in HTTP server with a small bounded pool of daemon threads, and suits a
 * production command-line client as well as tests. Close it to free the port and the threads.
 */
public final class Http01Responder implements AutoCloseable {

    /** The path prefix under which RFC 8555 section 8.3 places challenge tokens. */
    public static final String PATH_PREFIX = "/.well-known/acme-challenge/";

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]+");
    private static final int THREADS = 4;
    private static final int QUEUE = 64;

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final Map<String, Served> served = new ConcurrentHashMap<>();

    private Http01Responder(HttpServer server, ThreadPoolExecutor executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code address} and starts answering. Port 0 picks a free port; see {@link #port()}.
     *
     * @param address the address to listen on, normally 127.0.0.1 and the CA's http-01 port
     * @return the running responder
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static Http01Responder start(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), daemonThreads(), new ThreadPoolExecutor.CallerRunsPolicy());
        executor.allowCoreThreadTimeOut(true);
        try {
            HttpServer server = HttpServer.create(address, QUEUE);
            Http01Responder responder = new Http01Responder(server, executor);
            server.createContext("/", responder::handle);
            server.setExecutor(executor);
            server.start();
            return responder;
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot bind the http-01 responder to " + address, e);
        }
    }

    /**
     * The port this responder listens on.
     *
     * @return the bound port
     */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Starts serving {@code keyAuthorization} for {@code token}, replacing what was served for it
     * before and resetting its fetch count to zero.
     *
     * @param token            the challenge's token: base64url characters only
     * @param keyAuthorization the body to answer, {@code token + "." + base64url(JWK thumbprint)}
     *                         (RFC 8555 section 8.1); served as given, so a test may serve a wrong one
     * @throws IllegalArgumentException if the token holds characters outside the base64url alphabet
     */
    public void serve(String token, String keyAuthorization) {
        requireToken(token);
        Objects.requireNonNull(keyAuthorization, "keyAuthorization");
        served.put(token, new Served(keyAuthorization));
    }

    /**
     * Stops serving {@code token}; later fetches answer 404 and its count is forgotten. Does nothing
     * for a token that is not served.
     *
     * @param token the challenge's token
     */
    public void remove(String token) {
        served.remove(Objects.requireNonNull(token, "token"));
    }

    /**
     * How often {@code token} has been fetched successfully since it was last served; 0 if not served.
     *
     * @param token the challenge's token
     * @return the number of 200 answers sent for it
     */
    public int fetchCount(String token) {
        Served entry = served.get(Objects.requireNonNull(token, "token"));
        return entry == null ? 0 : entry.fetches.get();
    }

    /**
     * Waits until {@code token} has been fetched at least once since it was last served, returning
     * at once if it has been already.
     *
     * @param token   the challenge's token
     * @param timeout the longest time to wait
     * @return true once fetched; false if {@code timeout} passed first
     * @throws IllegalStateException if the token is not served
     * @throws InterruptedException  if the waiting thread is interrupted
     */
    public boolean awaitFetch(String token, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        Served entry = served.get(Objects.requireNonNull(token, "token"));
        if (entry == null) {
            throw new IllegalStateException("token " + token + " is not served; call serve(token, ...) first");
        }
        return entry.firstFetch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Stops answering, frees the port and stops the threads, waiting a little for running exchanges. */
    @Override
    public void close() {
        HttpServers.stop(server, executor);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            Served entry = path.startsWith(PATH_PREFIX) ? served.get(path.substring(PATH_PREFIX.length())) : null;
            if (entry == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = entry.keyAuthorization.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            entry.fetched();
        }
    }

    private static void requireToken(String token) {
        Objects.requireNonNull(token, "token");
        if (!TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("an ACME token holds base64url characters only: '" + token + "'");
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "keyward-http01-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** What is served for one token, and how often it was fetched. */
    private static final class Served {

        final String keyAuthorization;
        final AtomicInteger fetches = new AtomicInteger();
        final CountDownLatch firstFetch = new CountDownLatch(1);

        Served(String keyAuthorization) {
            this.keyAuthorization = keyAuthorization;
        }

        void fetched() {
            fetches.incrementAndGet();
            firstFetch.countDown();
        }
    }
}
