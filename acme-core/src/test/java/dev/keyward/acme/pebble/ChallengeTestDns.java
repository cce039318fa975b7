package dev.keyward.acme.pebble;

import dev.keyward.acme.DnsProvider;
import dev.keyward.acme.testkit.ChallengeTestServer;
import java.util.Objects;

/**
 * The test kit's challenge test server as a {@link DnsProvider}, so {@code Dns01Solver} answers
 * dns-01 (RFC 8555 section 8.4) through the DNS server Pebble asks. challtestsrv removes records
 * by name only: removing one value of a name removes them all, which is harmless because the flow
 * removes its answers only after every authorization of the order is settled.
 */
public final class ChallengeTestDns implements DnsProvider {
    private final ChallengeTestServer dns;

    public ChallengeTestDns(ChallengeTestServer dns) {
        this.dns = Objects.requireNonNull(dns, "dns");
    }

    @Override
    public void setTxt(String name, String value) {
        dns.setTxt(name, value);
    }

    @Override
    public void removeTxt(String name, String value) {
        dns.clearTxt(name);
    }
}
