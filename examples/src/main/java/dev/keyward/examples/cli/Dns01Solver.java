package dev.keyward.examples.cli;

import dev.keyward.acme.Authorization;
import dev.keyward.acme.Challenge;
import dev.keyward.acme.Dns01Challenge;
import dev.keyward.acme.testkit.ChallengeTestServer;
import java.time.Duration;

/**
 * Answers {@code dns-01} (RFC 8555 section 8.4) by publishing TXT records through the management
 * API of {@code pebble-challtestsrv}; the only way to prove a wildcard name.
 */
final class Dns01Solver implements ChallengeSolver {
    private final ChallengeTestServer dns;

    Dns01Solver(ChallengeTestServer dns) {
        this.dns = dns;
    }

    @Override
    public Challenge deploy(Authorization authorization) throws UsageException {
        Dns01Challenge challenge = authorization.challenge(Dns01Challenge.class).orElseThrow(() ->
                new UsageException("the CA offers no dns-01 challenge for " + authorization.identifier().value()));
        dns.setTxt(challenge.recordName(), challenge.txtValue());
        return challenge;
    }

    @Override
    public void awaitCheck(Challenge challenge, Duration timeout) {
        // The DNS server cannot tell when the CA looked: polling alone decides.
    }

    @Override
    public void remove(Challenge challenge) {
        dns.clearTxt(((Dns01Challenge) challenge).recordName());
    }

    @Override
    public void close() {
        // Nothing to release: the challenge test server belongs to whoever started it.
    }
}
