package dev.keyward.acme.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback that forwards to a target (such as Pebble's HTTPS port) and injects
 * faults into some connections, so that a client's handling of resets, lost responses and stalls
 * can be tested against a real server. It works below TLS: it sees bytes, not requests.
 *
 * <p>Each accepted connection gets one {@link Fault}: the next of a script
 * ({@link #scripted}), or one drawn from a seeded random source ({@link #start}): with
 * probability {@code faultRate} one of the faults, otherwise none. A connection that
 * {@linkplain Fault#RESET_LATER resets later} forwards a random number of the server's reads
 * (1 to 12) first, so it may cut a response after the server acted on the request. Pebble builds
 * the URLs it hands out from the {@code Host} header, so a client that starts at the proxy's
 * directory URL keeps talking through the proxy.
 */
public final class FaultInjectingProxy implements AutoCloseable {
    /** What happens to one connection. */
    public enum Fault {
        /** Forwarded untouched. */
        NONE,
        /** Reset as soon as it is accepted, before any byte is forwarded. */
        RESET_AT_ONCE,
        /** Forwarded for a while, then reset in both directions. */
        RESET_LATER,
        /** Accepted and read, never forwarded nor answered, until the client gives up. */
        STALL
    }

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final double faultRate;
    private final List<Fault> script;
    private final SplittableRandom random;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<Fault> drawn = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean closed;

    private FaultInjectingProxy(InetSocketAddress target, double faultRate, List<Fault> script, long seed)
            throws IOException {
        this.target = target;
        this.faultRate = faultRate;
        this.script = List.copyOf(script);
        this.random = new SplittableRandom(seed);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    /**
     * Starts a proxy on a free loopback port.
     *
     * @param target where to forward, a loopback address
     * @param faultRate the share of connections that get a fault, from 0 to 1
     * @param seed the seed of the random source, so a failing run can be repeated
     * @return the running proxy
     * @throws IllegalArgumentException if the target is not loopback or the rate is out of range
     */
    public static FaultInjectingProxy start(InetSocketAddress target, double faultRate, long seed) {
        if (!(faultRate >= 0 && faultRate <= 1)) {
            throw new IllegalArgumentException("faultRate must be between 0 and 1");
        }
        return create(target, faultRate, List.of(), seed);
    }

    /**
     * Starts a proxy whose first connections get the given faults, in order, and every later one
     * none: a repeatable way to put each fault where a test wants it.
     *
     * @param target where to forward, a loopback address
     * @param script the faults of the first connections
     * @param seed the seed for how long a {@link Fault#RESET_LATER} connection lives
     * @return the running proxy
     */
    public static FaultInjectingProxy scripted(InetSocketAddress target, List<Fault> script, long seed) {
        return create(target, 0, Objects.requireNonNull(script, "script"), seed);
    }

    private static FaultInjectingProxy create(InetSocketAddress target, double rate, List<Fault> script, long seed) {
        Objects.requireNonNull(target, "target");
        if (target.getAddress() == null || !target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the proxy forwards to loopback addresses only: " + target);
        }
        try {
            return new FaultInjectingProxy(target, rate, script, seed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback", e);
        }
    }

    /** @return the port the proxy listens on, on 127.0.0.1 */
    public int port() {
        return listener.getLocalPort();
    }

    /** @return the faults drawn so far, one per accepted connection, in order */
    public List<Fault> faults() {
        return List.copyOf(drawn);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                connections.incrementAndGet();
                Fault fault = draw(connections.get() - 1);
                drawn.add(fault);
                open.add(client);
                threads.execute(() -> handle(client, fault));
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    private synchronized Fault draw(int index) {
        if (index < script.size()) {
            return script.get(index);
        }
        if (random.nextDouble() >= faultRate) {
            return Fault.NONE;
        }
        Fault[] faults = {Fault.RESET_AT_ONCE, Fault.RESET_LATER, Fault.STALL};
        return faults[random.nextInt(faults.length)];
    }

    private synchronized int laterBudget() {
        return 1 + random.nextInt(12);
    }

    private void handle(Socket client, Fault fault) {
        try {
            switch (fault) {
                case RESET_AT_ONCE:
                    reset(client);
                    return;
                case STALL:
                    drain(client);
                    return;
                default:
                    forward(client, fault == Fault.RESET_LATER ? laterBudget() : Integer.MAX_VALUE);
            }
        } catch (IOException e) {
            reset(client);
        }
    }

    private void forward(Socket client, int serverReads) throws IOException {
        Socket server = new Socket();
        open.add(server);
        server.connect(target, 5000);
        threads.execute(() -> pipe(client, server, Integer.MAX_VALUE));
        pipe(server, client, serverReads);
        reset(client);
        reset(server);
    }

    /** Copies until EOF or until {@code reads} reads have been forwarded. */
    private void pipe(Socket from, Socket to, int reads) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            for (int i = 0; i < reads; i++) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // One side went away: the other is closed below.
        } finally {
            reset(to);
            reset(from);
        }
    }

    private void drain(Socket client) throws IOException {
        byte[] buffer = new byte[4096];
        InputStream in = client.getInputStream();
        while (!closed && in.read(buffer) >= 0) {
            // Swallow everything, answer nothing.
        }
        reset(client);
    }

    private void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // Already closed.
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing more to do.
        }
        open.remove(socket);
    }

    /** Stops accepting and resets every open connection. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
        for (Socket s : open) {
            reset(s);
        }
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "FaultInjectingProxy{127.0.0.1:" + port() + " -> " + target + ", rate " + faultRate + ", "
                + connections.get() + " connections}";
    }
}
