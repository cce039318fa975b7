package dev.keyward.benchmarks;

import dev.keyward.acme.Http01Lookup;
import java.net.URI;
import java.net.URL;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.PollableResource;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.exception.AcmeException;

/**
 * One issuance with acme4j 4.x, in-process, the way its documentation shows it: a {@link Session}
 * on the directory URL, an account ({@code AccountBuilder}, terms agreed), an order for one name,
 * the http-01 answer published, {@code trigger()}, then the waits. In {@link Mode#DEFAULT} the
 * waits are acme4j's own ({@code waitForCompletion}, {@code waitUntilReady}): a fetch at once, then
 * every 3 s when the CA sends no {@code Retry-After} (Pebble never does). {@link Mode#FAST} replaces
 * them with the same loop polling every 50 ms: the protocol-bound reference. TLS trust comes from
 * the JVM's default {@code SSLContext}, which the caller sets to trust the CA. The http-01 answer is
 * published in the caller's {@link Http01Lookup}, which a responder on the CA's http-01 port serves.
 */
final class Acme4jFlow {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration FAST_POLL = Duration.ofMillis(50);

    /** How the waits poll. */
    enum Mode {
        /** acme4j's documented waits. */
        DEFAULT("acme4j default"),
        /** Every 50 ms. */
        FAST("acme4j fast");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    private final Mode mode;
    private final Http01Lookup answers;

    Acme4jFlow(Mode mode, Http01Lookup answers) {
        this.mode = mode;
        this.answers = answers;
    }

    /** A new EC P-256 key pair, as acme4j's example makes them (without Bouncy Castle's generator). */
    static KeyPair ecP256() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** A new session and a new account for {@code accountKey}; returns the account. */
    Account newAccount(URI directory, KeyPair accountKey) throws AcmeException {
        Session session = session(directory);
        session.getMetadata().getTermsOfService();
        return new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey).create(session);
    }

    /** The existing account at {@code accountUrl}, on a session of its own (acme4j's per-thread use). */
    Account login(URI directory, URL accountUrl, KeyPair accountKey) {
        return session(directory).login(accountUrl, accountKey).getAccount();
    }

    /** A session with a 60 s network timeout (acme4j's default is 10 s), as Keyward's read timeout is long. */
    private static Session session(URI directory) {
        Session session = new Session(directory);
        session.networkSettings().setTimeout(Duration.ofSeconds(60));
        return session;
    }

    /** Issues a certificate for {@code name} with a new domain key; returns the leaf. */
    X509Certificate issue(Account account, String name) throws Exception {
        KeyPair domainKey = ecP256();
        Order order = account.newOrder().domains(name).create();
        for (Authorization auth : order.getAuthorizations()) {
            authorize(auth);
        }
        await(order, EnumSet.of(Status.READY, Status.INVALID), "order");
        order.execute(domainKey);
        Status status = await(order, EnumSet.of(Status.VALID, Status.INVALID), "order");
        if (status != Status.VALID) {
            throw new IllegalStateException("acme4j's order ended " + status + ": " + order.getError().orElse(null));
        }
        return order.getCertificate().getCertificate();
    }

    private void authorize(Authorization auth) throws Exception {
        if (auth.getStatus() == Status.VALID) {
            return;
        }
        Http01Challenge challenge = auth.findChallenge(Http01Challenge.class)
                .orElseThrow(() -> new IllegalStateException("no http-01 challenge for " + auth.getIdentifier()));
        answers.put(challenge.getToken(), challenge.getAuthorization());
        try {
            challenge.trigger();
            Status status = await(challenge, EnumSet.of(Status.VALID, Status.INVALID), "challenge");
            if (status != Status.VALID) {
                throw new IllegalStateException("acme4j's challenge ended " + status + ": "
                        + challenge.getError().orElse(null));
            }
        } finally {
            answers.removeToken(challenge.getToken());
        }
    }

    /**
     * The mode's wait: acme4j's {@code waitForStatus} (the call behind {@code waitForCompletion}
     * and {@code waitUntilReady}), or its loop with a 50 ms pause.
     */
    private Status await(PollableResource resource, Set<Status> done, String what) throws Exception {
        if (mode == Mode.DEFAULT) {
            return resource.waitForStatus(done, TIMEOUT);
        }
        if (done.contains(resource.getStatus())) {
            return resource.getStatus();
        }
        Instant end = Instant.now().plus(TIMEOUT);
        while (Instant.now().isBefore(end)) {
            resource.fetch();
            if (done.contains(resource.getStatus())) {
                return resource.getStatus();
            }
            Thread.sleep(FAST_POLL.toMillis());
        }
        throw new IllegalStateException("acme4j's " + what + " is still " + resource.getStatus() + " after " + TIMEOUT);
    }
}
