package dev.keyward.acme.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

    @Test
    void aDnsPortIsFreeForBothTcpAndUdpOnceReleased() throws Exception {
        int port;
        try (LoopbackPorts ports = new LoopbackPorts()) {
            port = ports.tcpAndUdp();
        }

        try (ServerSocket tcp = new ServerSocket();
                DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
            tcp.bind(new InetSocketAddress("127.0.0.1", port));
            assertThat(udp.getLocalPort()).isEqualTo(tcp.getLocalPort());
        }
    }

    @Test
    void theSixPortsOfARunAreDistinct() {
        PebblePorts ports = PebblePorts.pick();

        assertThat(java.util.Set.of(ports.acme(), ports.management(), ports.http01(), ports.tlsAlpn(), ports.dns(),
                ports.dnsManagement())).hasSize(6);
    }
}
