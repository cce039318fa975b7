package dev.keyward.acme.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks distinct ports that are free on 127.0.0.1 at the time of asking. All sockets stay bound until
 * {@link #close()}, so ports handed out by one instance never repeat.
 */
final class LoopbackPorts implements AutoCloseable {

    /** The address every process of this kit binds and targets. */
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static final int ATTEMPTS = 50;

    private final List<AutoCloseable> held = new ArrayList<>();

    /** Returns a port free for TCP. */
    int tcp() {
        ServerSocket socket = bindTcp();
        held.add(socket);
        return socket.getLocalPort();
    }

    /** Returns a port free for both TCP and UDP, as a DNS server needs. */
    int tcpAndUdp() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            ServerSocket tcp = bindTcp();
            try {
                DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, tcp.getLocalPort()));
                held.add(tcp);
                held.add(udp);
                return tcp.getLocalPort();
            } catch (SocketException udpTaken) {
                closeQuietly(tcp);
            }
        }
        throw new IllegalStateException("found no port free for both TCP and UDP on " + LOOPBACK.getHostAddress()
                + " in " + ATTEMPTS + " attempts");
    }

    /** Releases every port picked so far, so that the processes can bind them. */
    @Override
    public void close() {
        held.forEach(LoopbackPorts::closeQuietly);
        held.clear();
    }

    private static ServerSocket bindTcp() {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(LOOPBACK, 0));
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a TCP port on " + LOOPBACK.getHostAddress(), e);
        }
    }

    private static void closeQuietly(AutoCloseable socket) {
        try {
            socket.close();
        } catch (Exception ignored) {
            // A socket that fails to close still frees its port when the JVM exits.
        }
    }
}
