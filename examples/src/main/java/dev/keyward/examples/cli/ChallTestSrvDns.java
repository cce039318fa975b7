package dev.keyward.examples.cli;

import dev.keyward.acme.DnsProvider;
import dev.keyward.acme.testkit.ChallengeTestServer;

/**
 * Publishes dns-01 TXT records through the management API of {@code pebble-challtestsrv}
 * ({@code --dns01-challtestsrv URL}), which adds the trailing dot to the name itself. The API
 * removes every value of a name at once; the flow removes answers only after every authorization
 * of the order is decided, so a wildcard and its base name, which share a name, both get validated.
 */
final class ChallTestSrvDns implements DnsProvider {
    private final ChallengeTestServer server;

    ChallTestSrvDns(ChallengeTestServer server) {
        this.server = server;
    }

    @Override
    public void setTxt(String name, String value) {
        server.setTxt(name, value);
    }

    @Override
    public void removeTxt(String name, String value) {
        server.clearTxt(name);
    }
}
