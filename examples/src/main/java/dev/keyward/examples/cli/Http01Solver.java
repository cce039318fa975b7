package dev.keyward.examples.cli;

import dev.keyward.acme.Authorization;
import dev.keyward.acme.Challenge;
import dev.keyward.acme.Http01Challenge;
import dev.keyward.acme.testkit.Http01Responder;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Answers {@code http-01} (RFC 8555 section 8.3) from an embedded HTTP server, and knows when the
 * CA's validator fetched the token, so the authorization is polled right after validation.
 */
final class Http01Solver implements ChallengeSolver {
    private final Http01Responder responder;
    private final boolean owned;

    private Http01Solver(Http01Responder responder, boolean owned) {
        this.responder = responder;
        this.owned = owned;
    }

    static Http01Solver listen(InetSocketAddress address) throws ConfigException {
        try {
            return new Http01Solver(Http01Responder.start(address), true);
        } catch (RuntimeException e) {
            throw new ConfigException("cannot listen for http-01 on " + address + ": " + e.getMessage(), e);
        }
    }

    static Http01Solver using(Http01Responder responder) {
        return new Http01Solver(responder, false);
    }

    @Override
    public Challenge deploy(Authorization authorization) throws UsageException {
        Http01Challenge challenge = authorization.challenge(Http01Challenge.class).orElseThrow(() ->
                new UsageException("the CA offers no http-01 challenge for " + authorization.identifier().value()
                        + (authorization.isWildcard() ? " (a wildcard: use dns-01)" : "")));
        responder.serve(challenge.tokenValue(), challenge.keyAuthorization());
        return challenge;
    }

    @Override
    public void awaitCheck(Challenge challenge, Duration timeout) throws InterruptedException {
        responder.awaitFetch(((Http01Challenge) challenge).tokenValue(), timeout);
    }

    @Override
    public void remove(Challenge challenge) {
        responder.remove(((Http01Challenge) challenge).tokenValue());
    }

    @Override
    public void close() {
        if (owned) {
            responder.close();
        }
    }
}
