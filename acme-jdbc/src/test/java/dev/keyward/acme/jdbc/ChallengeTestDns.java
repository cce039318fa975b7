package dev.keyward.acme.jdbc;

import dev.keyward.acme.DnsProvider;
import dev.keyward.acme.testkit.ChallengeTestServer;

/** dns-01 answers through the test kit's pebble-challtestsrv. */
final class ChallengeTestDns implements DnsProvider {
    private final ChallengeTestServer server;

    ChallengeTestDns(ChallengeTestServer server) {
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
