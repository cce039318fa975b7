package dev.keyward.acme.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** Waits, by polling, until every check passes while all processes stay alive. */
final class ReadinessProbe {

    private static final long POLL_MILLIS = 20;
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(500);

    /** One condition of readiness. */
    interface Check {

        /** Whether the condition holds now; must return within about a second. */
        boolean passes();

        /** What is being waited for, for error messages. */
        String description();
    }

    private ReadinessProbe() {
    }

    /** Passes once a TCP connection to {@code port} on loopback is accepted. */
    static Check acceptsConnections(int port, String description) {
        return new Check() {
            @Override
            public boolean passes() {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(LoopbackPorts.LOOPBACK, port), (int) ATTEMPT_TIMEOUT.toMillis());
                    return true;
                } catch (IOException notYet) {
                    return false;
                }
            }

            @Override
            public String description() {
                return description;
            }
        };
    }

    /** Passes once a GET of {@code uri} through {@code client} answers 200. */
    static Check answersOk(HttpClient client, URI uri) {
        return new Check() {
            @Override
            public boolean passes() {
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(ATTEMPT_TIMEOUT).GET().build();
                try {
                    return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException notYet) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }

            @Override
            public String description() {
                return "a 200 answer from " + uri;
            }
        };
    }

    /**
     * Returns once every check passes. Throws a {@link StartupFailure} as soon as a process exits, or
     * when {@code deadline} passes.
     */
    static void await(Instant deadline, List<ManagedProcess> processes, List<Check> checks) {
        List<Check> pending = new java.util.ArrayList<>(checks);
        while (true) {
            for (ManagedProcess process : processes) {
                if (!process.isAlive()) {
                    throw StartupFailure.exited(process);
                }
            }
            pending.removeIf(Check::passes);
            if (pending.isEmpty()) {
                return;
            }
            if (Thread.currentThread().isInterrupted() || !Instant.now().isBefore(deadline)) {
                throw timedOut(processes, pending);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw timedOut(processes, pending);
            }
        }
    }

    private static StartupFailure timedOut(List<ManagedProcess> processes, List<Check> pending) {
        String waitedFor = pending.stream().map(Check::description).collect(Collectors.joining(", "));
        String logs = processes.stream()
                .map(process -> "last lines of " + process.logFile() + ":\n" + process.logTail())
                .collect(Collectors.joining("\n"));
        return new StartupFailure("Pebble was not ready in time (or startup was interrupted); still waiting for "
                + waitedFor + "\n" + logs, false);
    }
}
