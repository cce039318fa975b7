package dev.keyward.acme.pebble;

import dev.keyward.acme.Authorization;
import dev.keyward.acme.Challenge;
import dev.keyward.acme.ChallengeSolver;
import dev.keyward.acme.Http01Challenge;
import dev.keyward.acme.Status;
import dev.keyward.acme.testkit.Http01Responder;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The test kit's http-01 responder (RFC 8555 section 8.3) as a {@link ChallengeSolver}: for the test
 * classes whose tests share one Pebble, and so one responder bound to Pebble's http-01 port.
 * It knows when Pebble's validator fetched a token it answered, so the flow polls once.
 */
public final class ResponderSolver implements ChallengeSolver {
    private final Http01Responder responder;

    public ResponderSolver(Http01Responder responder) {
        this.responder = Objects.requireNonNull(responder, "responder");
    }

    @Override
    public Set<String> challengeTypes() {
        return Set.of(Http01Challenge.TYPE);
    }

    @Override
    public boolean canSolve(Authorization authorization) {
        return !authorization.isWildcard();
    }

    @Override
    public void deploy(Challenge challenge) {
        responder.serve(challenge.token().orElseThrow(), challenge.keyAuthorization());
    }

    @Override
    public void remove(Challenge challenge) {
        challenge.token().ifPresent(responder::remove);
    }

    /** Waits for the validator's fetch of a challenge answered now; one answered before is left to polling. */
    @Override
    public boolean awaitValidation(Challenge challenge, Duration timeout) throws InterruptedException {
        if (challenge.status() != Status.PENDING) {
            return false;
        }
        return responder.awaitFetch(challenge.token().orElseThrow(), timeout);
    }

    @Override
    public String toString() {
        return "ResponderSolver{port " + responder.port() + "}";
    }
}
