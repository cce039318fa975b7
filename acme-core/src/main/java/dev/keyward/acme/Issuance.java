package dev.keyward.acme;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The issuance flow of RFC 8555 section 7.4, in one place: order (created or resumed),
 * authorizations (valid ones reused, pending ones proven by the first fitting solver, all
 * challenges deployed, then answered, then polled), finalize, certificate download with the leaf's
 * key checked, optional deactivation. Every step resumes from the server's state when it is run
 * again after a transient fault, as {@link Retries#step} decides, within one deadline for the whole
 * call. One instance runs one issuance.
 */
final class Issuance {
    /** The most state transitions of one order; every RFC-conforming order needs at most five. */
    private static final int MAX_ROUNDS = 8;
    /**
     * The pause between a solver's sign that the validator looked and the first poll: the solver
     * sees the validator's request before the CA has read the answer and recorded the result, so
     * a poll at once finds the authorization still pending and then waits a whole backoff step
     * (measured against Pebble: 92 ms per issuance polling at once, 55 ms after 2 or 5 ms).
     */
    static final Duration VALIDATION_SETTLE = Duration.ofMillis(5);
    /** The longest wait for a solver's sign that the CA looked, before polling anyway. */
    private static final Duration MAX_VALIDATION_WAIT = Duration.ofSeconds(30);

    private final Account account;
    private final AcmeSigner accountKey;
    private final Session session;
    private final IssuanceRequest request;
    private final IssuanceListener listener;
    private final Retries retries;
    private final AcmeClock clock;
    private final Instant deadline;
    private final List<Deployed> deployed = new ArrayList<>();
    private Csr csr;
    private int reused;

    Issuance(Account account, AcmeSigner accountKey, Session session, IssuanceRequest request) {
        this.account = account;
        this.accountKey = accountKey;
        this.session = session;
        this.request = request;
        this.listener = request.listener();
        this.retries = session.retries();
        this.clock = session.clock();
        this.deadline = clock.now().plus(request.deadline());
        this.csr = request.csr().orElse(null);
    }

    IssuanceResult run() throws AcmeException {
        if (request.publicKey().equals(accountKey.publicKey())) {
            throw new IllegalArgumentException("the certificate key must differ from the account key (RFC 8555 section 11.1)");
        }
        try {
            Order order = request.resumeOrder().isPresent() ? resume(request.resumeOrder().get()) : create();
            if (!sameIdentifiers(order.identifiers(), request.identifiers())) {
                throw new AcmeProtocolException("the CA's order " + order.url() + " is for " + order.identifiers()
                        + ", not for the requested " + request.identifiers());
            }
            if (request.resumeOrder().isEmpty() && order.status() == Status.READY) {
                reused = order.authorizationUrls().size();
            }
            listener.orderCreated(order);
            for (int round = 0; round < MAX_ROUNDS; round++) {
                switch (order.status()) {
                    case PENDING:
                        authorize(order);
                        order = finalizeOrder(order);
                        break;
                    case READY:
                        order = finalizeOrder(order);
                        break;
                    case PROCESSING:
                        Order processing = order;
                        order = step("waiting for the certificate", attempt -> processing.awaitCompletion(pollPolicy()));
                        break;
                    case VALID:
                        return download(order);
                    default:
                        throw orderFailed(order);
                }
            }
            throw new AcmeProtocolException("order " + order.url() + " did not become valid in " + MAX_ROUNDS
                    + " steps; it is " + order.rawStatus());
        } finally {
            removeAnswers();
        }
    }

    private Order create() throws AcmeException {
        if (request.replaces().isEmpty()) {
            return create(null);
        }
        try {
            return create(request.replaces().get());
        } catch (ReplacesRefused refused) {
            listener.retrying("creating the order without 'replaces'", refused.refusal, Duration.ZERO);
            return create(null);
        }
    }

    /**
     * Creates the order. With {@code replaces} (RFC 9773 section 5), a CA that refuses the order
     * for any reason but a rate limit, the terms, the profile or the identifiers is taken to refuse
     * the field: CAs answer {@code alreadyReplaced}, {@code unauthorized} (another account issued
     * the replaced certificate), {@code malformed} or even a server error when they cannot match
     * it, and the order is worth more than the hint. A refusal that has nothing to do with the
     * field comes back on the order without it.
     */
    private Order create(String replaces) throws AcmeException {
        return step("creating the order", attempt -> {
            OrderRequest order = account.newOrder();
            request.identifiers().forEach(order::identifier);
            request.notBefore().ifPresent(order::notBefore);
            request.notAfter().ifPresent(order::notAfter);
            request.profile().ifPresent(order::profile);
            if (replaces != null) {
                order.replaces(replaces);
            }
            try {
                return order.create();
            } catch (AcmeServerException refused) {
                if (replaces != null && refusesReplaces(refused)) {
                    throw new ReplacesRefused(refused);
                }
                throw refused;
            }
        });
    }

    /** A newOrder with {@code replaces} that the CA refused, carried past the step's retries. */
    private static final class ReplacesRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient AcmeServerException refusal;

        ReplacesRefused(AcmeServerException refusal) {
            super(refusal.getMessage(), null, false, false);
            this.refusal = refusal;
        }
    }

    /** Whether a refusal of a newOrder with {@code replaces} may be about that field. */
    private static boolean refusesReplaces(AcmeServerException refused) {
        return !(refused instanceof AcmeRateLimitedException
                || refused instanceof AcmeUserActionRequiredException || refused instanceof AcmeInvalidProfileException
                || refused.problem().isAcmeError("rejectedIdentifier"));
    }

    private Order resume(URI url) throws AcmeException {
        Order order = step("fetching the order", attempt -> account.fetchOrder(url));
        if (!sameIdentifiers(order.identifiers(), request.identifiers())) {
            throw new IllegalArgumentException("order " + url + " is for " + order.identifiers()
                    + ", not for the requested " + request.identifiers());
        }
        return order;
    }

    /** Proves every pending authorization: deploy all, answer all, then poll all. */
    private void authorize(Order order) throws AcmeException {
        List<Authorization> authorizations = step("fetching the authorizations", attempt -> order.fetchAuthorizations());
        List<Deployed> todo = new ArrayList<>();
        for (Authorization authorization : authorizations) {
            switch (authorization.status()) {
                case VALID:
                    reused++;
                    listener.authorizationReused(authorization);
                    break;
                case PENDING:
                    todo.add(choose(authorization));
                    break;
                case INVALID:
                    throw authorization.failure();
                default:
                    throw new AcmeServerException(Problem.of(URI.create("about:blank"), "the authorization "
                            + authorization.url() + " for " + name(authorization) + " is " + authorization.rawStatus()
                            + ", so order " + order.url() + " cannot be completed", null), null);
            }
        }
        for (Deployed d : todo) {
            d.solver.deploy(d.challenge);
            deployed.add(d);
            listener.challengeDeployed(d.challenge, d.solver);
        }
        for (Deployed d : todo) {
            if (d.challenge.status() == Status.PENDING) {
                Challenge answered = step("answering the " + d.challenge.type() + " challenge for " + name(d.authorization),
                        attempt -> answer(d.challenge, attempt));
                listener.challengeAnswered(answered);
            }
        }
        // The CSR is needed next; built while the CA validates, its cost hides behind the wait.
        buildCsr();
        for (Deployed d : todo) {
            awaitLook(d);
        }
        awaitValidations(todo);
        removeAnswers();
    }

    /**
     * Polls the answered authorizations together (section 7.5.1): one wait per round, then one
     * fetch of each authorization still pending, so ten names cost one name's waits. The first
     * round polls {@link #VALIDATION_SETTLE} after the solvers have seen the validator look; each later wait
     * follows the earliest {@code Retry-After} among them, else the client's {@link PollPolicy}
     * backoff; the rounds end at the deadline (or the policy's timeout) with a typed timeout.
     */
    private void awaitValidations(List<Deployed> answered) throws AcmeException {
        PollPolicy policy = pollPolicy();
        Instant end = clock.now().plus(policy.timeout());
        List<Authorization> pending = new ArrayList<>();
        answered.forEach(d -> pending.add(d.authorization));
        Duration backoff = policy.initialDelay();
        Instant retryAfter = null;
        for (int round = 0; !pending.isEmpty(); round++) {
            Instant now = clock.now();
            Duration wait;
            if (round == 0) {
                wait = VALIDATION_SETTLE;
            } else if (retryAfter != null) {
                wait = retryAfter.isAfter(now.plus(policy.initialDelay())) ? Duration.between(now, retryAfter)
                        : policy.initialDelay();
            } else {
                wait = backoff;
                backoff = policy.next(backoff);
            }
            if (round >= Poller.MAX_POLLS || now.plus(wait).isAfter(end)) {
                throw new AcmeTimeoutException("authorizations of " + names(pending) + " are still pending after "
                        + policy.timeout().toMillis() + " ms (" + round + " rounds of polls)", Status.PENDING);
            }
            if (!wait.isZero()) {
                retries.pause(wait, "validating " + names(pending));
            }
            retryAfter = null;
            List<Authorization> still = new ArrayList<>();
            for (Authorization authorization : pending) {
                Authorization current = step("validating " + name(authorization), attempt -> authorization.fetch());
                switch (current.status()) {
                    case VALID:
                        listener.authorizationValid(current);
                        break;
                    case PENDING:
                        still.add(current);
                        if (current.retryAfter().isPresent()
                                && (retryAfter == null || current.retryAfter().get().isBefore(retryAfter))) {
                            retryAfter = current.retryAfter().get();
                        }
                        break;
                    default:
                        throw current.failure();
                }
            }
            pending.clear();
            pending.addAll(still);
        }
    }

    private static String names(List<Authorization> authorizations) {
        return authorizations.stream().map(Issuance::name).collect(Collectors.joining(", "));
    }

    /** The first solver, in the caller's order, that can prove the authorization with an offered type. */
    private Deployed choose(Authorization authorization) throws AcmeNoSolverException {
        for (ChallengeSolver solver : request.solvers()) {
            if (!solver.canSolve(authorization)) {
                continue;
            }
            for (Challenge challenge : authorization.challenges()) {
                if (solver.challengeTypes().contains(challenge.type())) {
                    return new Deployed(authorization, solver, challenge);
                }
            }
        }
        Set<String> offered = authorization.challenges().stream().map(Challenge::type)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> answered = request.solvers().stream().flatMap(s -> s.challengeTypes().stream())
                .collect(Collectors.toCollection(TreeSet::new));
        throw new AcmeNoSolverException(authorization.requested(), offered, answered);
    }

    /** Answers a challenge; when run again, only if the CA still has it pending. */
    private static Challenge answer(Challenge challenge, int attempt) throws AcmeException {
        Challenge current = attempt == 1 ? challenge : challenge.fetch();
        return current.status() == Status.PENDING ? current.respond() : current;
    }

    /** Waits for the solver's sign that the validator looked, so the first poll finds a result. */
    private void awaitLook(Deployed d) throws AcmeException {
        Duration left = remaining("validating " + name(d.authorization));
        try {
            d.solver.awaitValidation(d.challenge, left.compareTo(MAX_VALIDATION_WAIT) < 0 ? left : MAX_VALIDATION_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcmeException("interrupted while waiting for the CA to validate " + name(d.authorization), e);
        }
    }

    /**
     * Finalizes with the CSR (built once). When run again after an unknown outcome, or when the CA
     * says the order is not ready, the order is fetched first and finalized only if still
     * {@code ready}: a CSR is never sent for an order that has one.
     */
    private Order finalizeOrder(Order order) throws AcmeException {
        buildCsr();
        return step("finalizing the order", attempt -> {
            if (attempt > 1) {
                Order current = order.fetch();
                if (current.status() != Status.READY) {
                    return current;
                }
            }
            listener.finalizing(order);
            try {
                return order.finalizeWith(csr);
            } catch (AcmeServerException refused) {
                if (refused.problem().isAcmeError("orderNotReady")) {
                    return order.fetch();
                }
                throw refused;
            }
        });
    }

    /** Builds the CSR from the request's identifiers and certificate key, once; a caller's CSR stays. */
    private void buildCsr() throws AcmeException {
        if (csr == null) {
            csr = Csr.builder().identifiers(request.identifiers()).build(request.certificateKey().orElseThrow());
        }
    }

    private IssuanceResult download(Order order) throws AcmeException {
        CertificateChain chain = step("downloading the certificate",
                attempt -> order.downloadCertificate(request.publicKey()));
        checkChain(chain);
        if (request.preferredChain().isPresent() && !chain.chainsTo(request.preferredChain().get())) {
            chain = preferred(order, chain, request.preferredChain().get());
        }
        listener.issued(order, chain);
        if (request.deactivateAuthorizations()) {
            try {
                step("deactivating the authorizations", attempt -> order.deactivateAuthorizations());
            } catch (AcmeException e) {
                listener.deactivationFailed(order, e);
            }
        }
        return new IssuanceResult(order, chain, reused);
    }

    private void checkChain(CertificateChain chain) {
        ChainCheck.check(chain, request.identifiers(), clock.now(), request.notBefore().orElse(null));
    }

    /** The first alternate chain that leads to the preferred issuer, else the default chain. */
    private CertificateChain preferred(Order order, CertificateChain main, String issuer) throws AcmeException {
        for (URI alternate : main.alternateUrls()) {
            CertificateChain chain = step("downloading an alternate chain",
                    attempt -> order.downloadChain(alternate, request.publicKey()));
            if (chain.chainsTo(issuer)) {
                checkChain(chain);
                return chain;
            }
        }
        return main;
    }

    /** Removes every deployed answer, once each; a solver's failure here is its own to report. */
    private void removeAnswers() {
        for (Deployed d : deployed) {
            try {
                d.solver.remove(d.challenge);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Issuance.class).warn("solver {} failed to remove the {} answer for {}: {}",
                        d.solver, d.challenge.type(), name(d.authorization), e.toString());
            }
        }
        deployed.clear();
    }

    /** One step of the flow; {@code attempt} is 1 on the first run, so a later run can resume. */
    private interface Step<T> {
        T run(int attempt) throws AcmeException;
    }

    private <T> T step(String what, Step<T> step) throws AcmeException {
        for (int attempt = 1; ; attempt++) {
            remaining(what);
            int current = attempt;
            try {
                return session.within(deadline, () -> step.run(current));
            } catch (AcmeException failure) {
                var wait = retries.step(failure, attempt);
                if (wait.isEmpty() || clock.now().plus(wait.get()).isAfter(deadline)) {
                    throw failure;
                }
                listener.retrying(what, failure, wait.get());
                retries.pause(wait.get(), what);
            }
        }
    }

    /** The time left before the deadline; a typed timeout once it has passed. */
    private Duration remaining(String what) throws AcmeTimeoutException {
        Duration left = Duration.between(clock.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw new AcmeTimeoutException("the issuance of " + request.identifiers() + " passed its deadline of "
                    + request.deadline().toMillis() + " ms while " + what, Status.UNKNOWN);
        }
        return left;
    }

    /** The client's poll policy, ending no later than the deadline. */
    private PollPolicy pollPolicy() throws AcmeTimeoutException {
        PollPolicy policy = session.pollPolicy();
        Duration left = remaining("polling");
        return left.compareTo(policy.timeout()) < 0 ? policy.toBuilder().timeout(left).build() : policy;
    }

    private static AcmeServerException orderFailed(Order order) {
        Problem problem = order.error().orElse(Problem.of(URI.create("about:blank"),
                "order " + order.url() + " is " + order.rawStatus(), null));
        return new AcmeServerException(problem, null);
    }

    /** Whether two lists name the same identifiers, ignoring order and the case of names. */
    static boolean sameIdentifiers(List<Identifier> a, List<Identifier> b) {
        return normalized(a).equals(normalized(b));
    }

    private static Set<String> normalized(List<Identifier> identifiers) {
        Set<String> out = new HashSet<>();
        for (Identifier id : identifiers) {
            out.add(id.type() + ":" + id.value().toLowerCase(java.util.Locale.ROOT));
        }
        return out;
    }

    private static String name(Authorization authorization) {
        return authorization.requested().value();
    }

    /** A challenge chosen for an authorization, and the solver that answers it. */
    private static final class Deployed {
        final Authorization authorization;
        final ChallengeSolver solver;
        final Challenge challenge;

        Deployed(Authorization authorization, ChallengeSolver solver, Challenge challenge) {
            this.authorization = authorization;
            this.solver = solver;
            this.challenge = challenge;
        }
    }
}
