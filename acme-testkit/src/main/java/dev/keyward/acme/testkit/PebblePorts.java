package dev.keyward.acme.testkit;

/**
 * The loopback ports of one Pebble run.
 *
 * @param acme          Pebble's ACME (HTTPS) listener
 * @param management    Pebble's management (HTTPS) listener
 * @param http01        where Pebble's validator connects for http-01
 * @param tlsAlpn       where Pebble's validator connects for tls-alpn-01
 * @param dns           challtestsrv's DNS server, TCP and UDP
 * @param dnsManagement challtestsrv's management (HTTP) listener
 */
record PebblePorts(int acme, int management, int http01, int tlsAlpn, int dns, int dnsManagement) {

    /** Picks six distinct ports that are free on loopback now. */
    static PebblePorts pick() {
        try (LoopbackPorts ports = new LoopbackPorts()) {
            int dns = ports.tcpAndUdp();
            return new PebblePorts(ports.tcp(), ports.tcp(), ports.tcp(), ports.tcp(), dns, ports.tcp());
        }
    }
}
