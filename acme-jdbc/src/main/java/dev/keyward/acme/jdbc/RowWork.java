package dev.keyward.acme.jdbc;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClock;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeNoSolverException;
import dev.keyward.acme.AcmeRateLimitedException;
import dev.keyward.acme.AcmeServerException;
import dev.keyward.acme.ChallengeSolver;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.IssuanceResult;
import dev.keyward.acme.Order;
import dev.keyward.acme.Status;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One claimed row turned into a certificate, or into a retry or a failure: the CSR checked before
 * any request, a stored order resumed (a fresh one only if the stored one is {@code invalid}),
 * the chain stored under the worker's lease. The one place that decides what a failure means.
 */
final class RowWork {
    /** Problems that no retry can mend: the row fails at once. */
    private static final Set<String> PERMANENT = Set.of("badCSR", "badPublicKey", "badSignatureAlgorithm",
            "rejectedIdentifier", "unsupportedIdentifier", "caa", "invalidProfile", "malformed");

    private final QueueRunner runner;
    private final CsrQueue queue;
    private final AcmeClock clock;
    private final Claim claim;

    RowWork(QueueRunner runner, Claim claim) {
        this.runner = runner;
        this.queue = runner.queue();
        this.clock = runner.clock();
        this.claim = claim;
    }

    void run() throws CsrQueueException {
        CsrCheck.Checked csr;
        List<ChallengeSolver> solvers;
        try {
            csr = CsrCheck.check(claim.csr(), queue.policy());
            solvers = solvers();
        } catch (CsrCheck.Rejected e) {
            queue.fail(claim, e.getMessage(), null, clock.now());
            return;
        }
        Account account = runner.account();
        try {
            URI resume = claim.orderUrl();
            if (resume != null) {
                Order stored = account.fetchOrder(resume);
                if (stored.status() == Status.INVALID) {
                    queue.clearOrder(claim, clock.now());
                    resume = null;
                }
            }
            IssuanceRequest.Builder request = IssuanceRequest.builder().identifiers(csr.identifiers()).csr(csr.csr())
                    .solvers(solvers).deadline(runner.issuanceDeadline())
                    .listener(new RowListener(queue, claim, clock, runner.listener()));
            if (claim.profile() != null) {
                request.profile(claim.profile());
            }
            if (resume != null) {
                request.resumeOrder(resume);
            }
            IssuanceResult result = account.issue(request.build());
            store(result);
        } catch (RowListener.Abandon e) {
            if (e.databaseFailure != null) {
                throw e.databaseFailure;
            }
        } catch (AcmeRateLimitedException e) {
            Instant next = e.retryAfter().orElse(clock.now().plus(runner.backoff(claim.attempts())));
            queue.retry(claim, next, "rate limited until " + next + ": " + e.getMessage(), ProblemJson.of(e.problem()),
                    false, clock.now());
        } catch (AcmeNoSolverException e) {
            queue.fail(claim, "no solver: " + e.getMessage(), null, clock.now());
        } catch (AcmeServerException e) {
            boolean permanent = PERMANENT.stream().anyMatch(e.problem()::isAcmeError);
            failOrRetry(permanent, "the CA refused: " + e.getMessage(), ProblemJson.of(e.problem()));
        } catch (AcmeException e) {
            failOrRetry(false, words(e), null);
        } catch (IllegalArgumentException e) {
            failOrRetry(true, "bad request: " + e.getMessage(), null);
        } catch (RuntimeException e) {
            failOrRetry(false, e.toString(), null);
        }
    }

    /** The solvers the row names, in its order; every solver of the runner when it names none. */
    private List<ChallengeSolver> solvers() throws CsrCheck.Rejected {
        if (claim.solvers().isEmpty()) {
            return List.copyOf(runner.solvers().values());
        }
        List<ChallengeSolver> out = new ArrayList<>();
        for (String name : claim.solvers()) {
            ChallengeSolver solver = runner.solvers().get(name);
            if (solver == null) {
                throw new CsrCheck.Rejected("no solver named " + name + " in this worker (it has "
                        + runner.solvers().keySet() + ")");
            }
            out.add(solver);
        }
        return out;
    }

    /** Stores the chain; a lost database is waited for (the chain is not lost meanwhile). */
    private void store(IssuanceResult result) throws CsrQueueException {
        Instant since = clock.now();
        Duration pause = Duration.ofMillis(200);
        while (true) {
            try {
                queue.complete(claim, result.chain().pem(), result.order().url(), clock.now());
                return;
            } catch (CsrQueueException e) {
                if (Duration.between(since, clock.now()).compareTo(runner.databaseOutage()) > 0) {
                    throw e;
                }
                runner.pause(pause);
                pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : pause.multipliedBy(2);
            }
        }
    }

    private void failOrRetry(boolean permanent, String reason, String problemJson) throws CsrQueueException {
        if (permanent) {
            queue.fail(claim, reason, problemJson, clock.now());
        } else if (claim.attempts() >= runner.maxAttempts()) {
            queue.fail(claim, "gave up after " + claim.attempts() + " attempts; last: " + reason, problemJson, clock.now());
        } else {
            queue.retry(claim, clock.now().plus(runner.backoff(claim.attempts())), reason, problemJson, true, clock.now());
        }
    }

    /** A failure of the flow in words for the row's reason: what kind, then the message; no class name. */
    private static String words(AcmeException e) {
        String kind = e instanceof dev.keyward.acme.AcmeTimeoutException ? "timed out"
                : e instanceof dev.keyward.acme.AcmeNetworkException ? "network failure"
                : e instanceof dev.keyward.acme.AcmeSigningException ? "signing failed"
                : "failed";
        return e.getMessage() == null ? kind : kind + ": " + e.getMessage();
    }
}
