package dev.keyward.acme;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code tls-alpn-01} (RFC 8737) from an embedded TLS responder that completes
 * validation handshakes (ALPN {@value TlsAlpn01Challenge#ALPN_PROTOCOL}) with the validation
 * certificate of the requested name, then closes the connection; any other handshake fails. For a
 * machine with nothing of its own on port 443 (or a port the CA's validator is sent to, as a CLI's
 * {@code --tlsalpn01-port}). Close it to free the port. A server that must keep answering on its
 * port uses {@link TlsAlpn01KeyManager} instead. Validation keys are fresh in-memory EC P-256
 * keys. Thread-safe.
 */
public final class TlsAlpn01Server implements ChallengeSolver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TlsAlpn01Server.class);
    private static final int THREADS = 4;
    private static final int BACKLOG = 64;
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    private static final AtomicInteger THREAD_COUNT = new AtomicInteger();

    private final TlsAlpn01KeyManager keyManager;
    private final SSLServerSocket serverSocket;
    private final ThreadPoolExecutor executor;
    private final Thread acceptor;
    private final AtomicInteger validations = new AtomicInteger();
    private volatile boolean closed;

    private TlsAlpn01Server(TlsAlpn01KeyManager keyManager, SSLServerSocket serverSocket, ThreadPoolExecutor executor) {
        this.keyManager = keyManager;
        this.serverSocket = serverSocket;
        this.executor = executor;
        this.acceptor = new Thread(this::acceptLoop, "keyward-tlsalpn01-accept-" + THREAD_COUNT.incrementAndGet());
        this.acceptor.setDaemon(true);
    }

    /**
     * Binds the address and starts answering. Port 0 picks a free port ({@link #port()}).
     *
     * @param address where to listen, for example {@code new InetSocketAddress(443)}
     * @return the running responder
     * @throws AcmeSolverException if the address cannot be bound
     */
    public static TlsAlpn01Server start(InetSocketAddress address) throws AcmeSolverException {
        Objects.requireNonNull(address, "address");
        TlsAlpn01KeyManager keyManager = TlsAlpn01KeyManager.builder().lookOnSelection(false).build();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(BACKLOG), task -> {
                    Thread thread = new Thread(task, "keyward-tlsalpn01-" + THREAD_COUNT.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        executor.allowCoreThreadTimeOut(true);
        SSLServerSocket socket = null;
        try {
            socket = (SSLServerSocket) keyManager.serverContext().getServerSocketFactory().createServerSocket();
            socket.setReuseAddress(true);
            socket.bind(address, BACKLOG);
            TlsAlpn01Server server = new TlsAlpn01Server(keyManager, socket, executor);
            server.acceptor.start();
            return server;
        } catch (IOException | RuntimeException e) {
            executor.shutdownNow();
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // binding failed already
                }
            }
            throw new AcmeSolverException("cannot listen for tls-alpn-01 on " + address + ": " + e.getMessage(), e);
        }
    }

    /** @return the port the responder listens on */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /** @return how many validation handshakes have completed so far */
    public int completedValidations() {
        return validations.get();
    }

    /** @return how many validation certificates are served now (0 once every flow has cleaned up) */
    public int servedCertificates() {
        return keyManager.size();
    }

    /** @return {@code Set.of("tls-alpn-01")} */
    @Override
    public Set<String> challengeTypes() {
        return keyManager.challengeTypes();
    }

    /** @return false for wildcard names and identifiers other than dns and ip */
    @Override
    public boolean canSolve(Authorization authorization) {
        return keyManager.canSolve(authorization);
    }

    @Override
    public void deploy(Challenge challenge) throws AcmeSolverException {
        keyManager.deploy(challenge);
    }

    @Override
    public void remove(Challenge challenge) {
        keyManager.remove(challenge);
    }

    /** Waits until a validation handshake for the challenge's name has completed. */
    @Override
    public boolean awaitValidation(Challenge challenge, Duration timeout) throws InterruptedException {
        return keyManager.awaitValidation(challenge, timeout);
    }

    /** Stops answering and frees the port, letting running handshakes finish for up to a second. */
    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException e) {
            LOG.debug("closing the tls-alpn-01 socket failed", e);
        }
        executor.shutdown();
        try {
            acceptor.join(1000);
            if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SSLSocket socket;
            try {
                socket = (SSLSocket) serverSocket.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("tls-alpn-01 responder on port {} stops accepting: {}", port(), e.toString());
                }
                return;
            }
            try {
                executor.execute(() -> handle(socket));
            } catch (RuntimeException e) {
                closeQuietly(socket);
            }
        }
    }

    private void handle(SSLSocket socket) {
        try (socket) {
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            socket.setHandshakeApplicationProtocolSelector((s, offered) ->
                    offered.contains(TlsAlpn01Challenge.ALPN_PROTOCOL) ? TlsAlpn01Challenge.ALPN_PROTOCOL : null);
            socket.startHandshake();
            SSLSession session = socket.getSession();
            if (TlsAlpn01Challenge.ALPN_PROTOCOL.equals(socket.getApplicationProtocol())
                    && session instanceof ExtendedSSLSession) {
                for (SNIServerName name : ((ExtendedSSLSession) session).getRequestedServerNames()) {
                    if (name instanceof SNIHostName) {
                        validations.incrementAndGet();
                        keyManager.validated(((SNIHostName) name).getAsciiName().toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
        } catch (SocketException e) {
            LOG.debug("tls-alpn-01 connection ended: {}", e.toString());
        } catch (IOException | RuntimeException e) {
            LOG.debug("tls-alpn-01 handshake failed: {}", e.toString());
        }
    }

    private static void closeQuietly(SSLSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public String toString() {
        return "TlsAlpn01Server{" + serverSocket.getLocalSocketAddress() + "}";
    }
}
