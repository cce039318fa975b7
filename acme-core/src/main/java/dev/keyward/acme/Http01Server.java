package dev.keyward.acme;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers {@code http-01} (RFC 8555 section 8.3) from an embedded JDK {@code HttpServer} that
 * serves nothing but {@code /.well-known/acme-challenge/}: for a machine with no web server of its
 * own on port 80 (or a port the CA's validator is sent to). Close it to free the port. Thread-safe.
 */
public final class Http01Server implements ChallengeSolver, AutoCloseable {
    private static final int THREADS = 4;
    private static final int BACKLOG = 64;
    private static final AtomicInteger THREAD_COUNT = new AtomicInteger();

    private final Http01Lookup lookup = Http01Lookup.create();
    private final HttpServer server;
    private final ThreadPoolExecutor executor;

    private Http01Server(HttpServer server, ThreadPoolExecutor executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds the address and starts answering. Port 0 picks a free port ({@link #port()}).
     *
     * @param address where to listen, for example {@code new InetSocketAddress(80)}
     * @return the running server
     * @throws AcmeSolverException if the address cannot be bound
     */
    public static Http01Server start(InetSocketAddress address) throws AcmeSolverException {
        Objects.requireNonNull(address, "address");
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(BACKLOG), task -> {
                    Thread thread = new Thread(task, "keyward-http01-" + THREAD_COUNT.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        executor.allowCoreThreadTimeOut(true);
        try {
            HttpServer server = HttpServer.create(address, BACKLOG);
            Http01Server solver = new Http01Server(server, executor);
            server.createContext("/", solver::handle);
            server.setExecutor(executor);
            server.start();
            return solver;
        } catch (IOException | RuntimeException e) {
            executor.shutdownNow();
            throw new AcmeSolverException("cannot listen for http-01 on " + address + ": " + e.getMessage(), e);
        }
    }

    /** @return the port the server listens on */
    public int port() {
        return server.getAddress().getPort();
    }

    /** @return {@code Set.of("http-01")} */
    @Override
    public Set<String> challengeTypes() {
        return lookup.challengeTypes();
    }

    /** @return false for wildcard names, which http-01 cannot prove */
    @Override
    public boolean canSolve(Authorization authorization) {
        return lookup.canSolve(authorization);
    }

    @Override
    public void deploy(Challenge challenge) throws AcmeSolverException {
        lookup.deploy(challenge);
    }

    @Override
    public void remove(Challenge challenge) {
        lookup.remove(challenge);
    }

    @Override
    public boolean awaitValidation(Challenge challenge, Duration timeout) throws InterruptedException {
        return lookup.awaitValidation(challenge, timeout);
    }

    /** @return how many tokens are served now (0 once every flow has cleaned up) */
    public int servedTokens() {
        return lookup.size();
    }

    /** Stops answering and frees the port, letting running exchanges finish for up to a second. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String token = Http01Lookup.token(exchange.getRequestURI().getRawPath());
            Optional<String> answer = lookup.peek(token);
            if (answer.isEmpty()) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = answer.get().getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            // The look counts once the answer is sent: the flow polls a moment later, and the CA
            // can only have the result after it has read the answer.
            lookup.looked(token);
        }
    }

    @Override
    public String toString() {
        return "Http01Server{" + server.getAddress() + "}";
    }
}
