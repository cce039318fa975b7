package dev.keyward.benchmarks;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Challenge;
import dev.keyward.acme.Http01Server;
import dev.keyward.acme.IssuanceListener;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.Order;
import dev.keyward.acme.Signers;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * The worst-case time from a CA that stops answering to the typed error (issue 12, "hard
 * deadlines"): {@code account.issue(...)} against Pebble behind a tiny TCP proxy that stops
 * forwarding (it keeps every connection open and answers nothing) at a point of the flow, with the
 * deadlines 10 s and 30 s and the default retry and poll policies. Prints, per case, the elapsed
 * time and the exception type.
 *
 * <p>Cases: the CA stalls before the issuance's first request ({@code newOrder}); after
 * {@code newOrder} answered; after the challenge was answered (the authorization's polls stall).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.keyward.benchmarks.StalledCa}
 */
public final class StalledCa {
    private StalledCa() {
    }

    /** Where in the flow the proxy stops forwarding. */
    private enum StallPoint {
        BEFORE_NEW_ORDER("from the issuance's first request (newOrder)"),
        AFTER_NEW_ORDER("after newOrder answered"),
        AFTER_CHALLENGE("after the challenge was answered (authorization polls)");

        final String description;

        StallPoint(String description) {
            this.description = description;
        }
    }

    /**
     * Runs every case once per deadline and prints the figures.
     *
     * @param args none
     * @throws Exception if Pebble cannot start
     */
    public static void main(String[] args) throws Exception {
        List<Duration> deadlines = List.of(Duration.ofSeconds(10), Duration.ofSeconds(30));
        try (PebbleServer pebble = PebbleServer.builder().authorizationReusePercent(0).build().start();
             Http01Server http01 = IssuanceFlow.http01(pebble)) {
            System.out.println("Pebble at " + pebble.directoryUri() + "; default RetryPolicy and PollPolicy");
            System.out.printf("%-58s %9s %10s  %s%n", "the CA stops answering", "deadline", "elapsed", "error");
            for (Duration deadline : deadlines) {
                for (StallPoint point : StallPoint.values()) {
                    Result result = run(pebble, http01, point, deadline);
                    System.out.printf("%-58s %8ds %8d ms  %s%n", point.description, deadline.toSeconds(),
                            result.millis, result.error);
                }
            }
        }
    }

    private static Result run(PebbleServer pebble, Http01Server http01, StallPoint point, Duration deadline)
            throws Exception {
        URI direct = pebble.directoryUri();
        try (StallingProxy proxy = new StallingProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                direct.getPort()))) {
            URI viaProxy = new URI(direct.getScheme(), null, direct.getHost(), proxy.port(), direct.getPath(), null, null);
            try (AcmeClient client = AcmeClient.builder(viaProxy).trustAnchors(pebble.trustAnchors()).build()) {
                Account account = client.newAccount(signer()).agreeToTermsOfService().create();
                IssuanceListener listener = new IssuanceListener() {
                    @Override
                    public void orderCreated(Order order) {
                        if (point == StallPoint.AFTER_NEW_ORDER) {
                            proxy.stall();
                        }
                    }

                    @Override
                    public void challengeAnswered(Challenge challenge) {
                        if (point == StallPoint.AFTER_CHALLENGE) {
                            proxy.stall();
                        }
                    }
                };
                if (point == StallPoint.BEFORE_NEW_ORDER) {
                    proxy.stall();
                }
                String name = "stall-" + Long.toHexString(System.nanoTime()) + ".keyward.test";
                long start = System.nanoTime();
                String error;
                try {
                    account.issue(IssuanceRequest.builder().domains(name).certificateKey(signer()).solvers(http01)
                            .deadline(deadline).listener(listener).build());
                    error = "none: the certificate was issued (the stall came too late)";
                } catch (Exception e) {
                    error = e.getClass().getSimpleName();
                }
                return new Result(Duration.ofNanos(System.nanoTime() - start).toMillis(), error);
            }
        }
    }

    private static AcmeSigner signer() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        var pair = generator.generateKeyPair();
        return Signers.jca(pair.getPrivate(), pair.getPublic());
    }

    /** One case's figures. */
    private static final class Result {
        final long millis;
        final String error;

        Result(long millis, String error) {
            this.millis = millis;
            this.error = error;
        }
    }

    /**
     * Forwards TCP to the target until {@link #stall()}; from then on it keeps every connection, old
     * and new, open and forwards nothing in either direction: a CA that stopped answering.
     */
    private static final class StallingProxy implements AutoCloseable {
        private final ServerSocket listener;
        private final InetSocketAddress target;
        private final CountDownLatch stalled = new CountDownLatch(1);
        private final CountDownLatch closing = new CountDownLatch(1);
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        StallingProxy(InetSocketAddress target) throws IOException {
            this.target = target;
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            daemon(this::acceptLoop, "stalling-proxy");
        }

        int port() {
            return listener.getLocalPort();
        }

        void stall() {
            stalled.countDown();
        }

        private boolean isStalled() {
            return stalled.getCount() == 0;
        }

        private void acceptLoop() {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    sockets.add(client);
                    if (isStalled()) {
                        continue;
                    }
                    Socket server = new Socket(target.getAddress(), target.getPort());
                    sockets.add(server);
                    daemon(() -> pump(client, server), "stalling-proxy-up");
                    daemon(() -> pump(server, client), "stalling-proxy-down");
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void pump(Socket from, Socket to) {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (isStalled()) {
                        closing.await();
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the connection ended
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void daemon(Runnable task, String name) {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException {
            closing.countDown();
            listener.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
