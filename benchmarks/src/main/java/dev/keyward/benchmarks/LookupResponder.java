package dev.keyward.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.keyward.acme.Http01Lookup;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The http-01 responder both clients of {@link InProcessTable} share: the JDK's HTTP server on
 * 127.0.0.1 at the CA's http-01 port, answering from one {@link Http01Lookup}. Keyward deploys
 * into the lookup as its solver; acme4j's flow puts its tokens there by hand.
 */
final class LookupResponder implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8, work -> {
        Thread thread = new Thread(work, "bench-http01");
        thread.setDaemon(true);
        return thread;
    });
    final Http01Lookup lookup = Http01Lookup.create();

    LookupResponder(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.createContext(Http01Lookup.PATH_PREFIX, this::answer);
        server.setExecutor(executor);
        server.start();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            Optional<String> answer = lookup.answer(exchange.getRequestURI().getRawPath());
            if (answer.isEmpty() || !"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = answer.get().getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
