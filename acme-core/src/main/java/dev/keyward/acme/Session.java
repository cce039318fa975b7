package dev.keyward.acme;

import dev.keyward.acme.internal.HttpResponse;
import dev.keyward.acme.internal.HttpTransport;
import dev.keyward.acme.internal.Json;
import dev.keyward.acme.internal.JwsWriter;
import dev.keyward.acme.internal.NoncePool;
import java.net.URI;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol engine behind one {@link AcmeClient}: the cached directory, the nonce pool, signed
 * POSTs with {@code badNonce} retries (RFC 8555 sections 6.2, 6.5, 7.2), and the mapping of
 * problem documents to exceptions. Thread-safe.
 */
final class Session {
    static final String ACCEPT_JSON = "application/json";
    static final String ACCEPT_PEM_CHAIN = "application/pem-certificate-chain";

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    private final URI directoryUrl;
    private final HttpTransport transport;
    private final NoncePool nonces;
    private final AcmeClock clock;
    private final PollPolicy pollPolicy;
    private final int maxBadNonceRetries;
    private final Retries retries;
    private final Events events;
    private volatile Directory directory;

    Session(URI directoryUrl, HttpTransport transport, AcmeClock clock, PollPolicy pollPolicy, int maxBadNonceRetries,
            RetryPolicy retryPolicy, AcmeEventListener listener) {
        this.directoryUrl = directoryUrl;
        this.transport = transport;
        this.nonces = new NoncePool(64);
        this.clock = clock;
        this.pollPolicy = pollPolicy;
        this.maxBadNonceRetries = maxBadNonceRetries;
        this.retries = new Retries(retryPolicy, clock);
        this.events = new Events(listener);
    }

    Events events() {
        return events;
    }

    /** The CA's directory URL, whose origin every fetch by a caller's URL must share ({@link CaOrigin}). */
    URI directoryUrl() {
        return directoryUrl;
    }

    AcmeClock clock() {
        return clock;
    }

    Retries retries() {
        return retries;
    }

    /** The deadline of the operation this thread runs, if any (see {@link #within}). */
    private final ThreadLocal<Instant> deadline = new ThreadLocal<>();
    /** Whether the CA ever answered this session: an unreachable CA is not retried before it has. */
    private volatile boolean contacted;

    /** Work of an operation with a deadline. */
    interface Work<T> {
        T run() throws AcmeException;
    }

    /**
     * Runs {@code work} so that every request in it, with its retries and waits, ends by
     * {@code end} (or by an enclosing operation's earlier deadline): each request gets at most the
     * time left as its whole-call timeout, and no retry waits past it.
     */
    <T> T within(Instant end, Work<T> work) throws AcmeException {
        Instant outer = deadline.get();
        deadline.set(outer == null || end.isBefore(outer) ? end : outer);
        try {
            return work.run();
        } finally {
            if (outer == null) {
                deadline.remove();
            } else {
                deadline.set(outer);
            }
        }
    }

    /** The time left of this thread's operation, or {@code null} without a deadline. */
    private java.time.Duration left(String what) throws AcmeTimeoutException {
        Instant end = deadline.get();
        if (end == null) {
            return null;
        }
        java.time.Duration left = java.time.Duration.between(clock.now(), end);
        if (left.isNegative() || left.isZero()) {
            throw new AcmeTimeoutException(what + " was not sent: the operation's deadline " + end + " has passed",
                    Status.UNKNOWN);
        }
        return left;
    }

    /**
     * A request that failed when (or just before) this thread's deadline came, which cut its time:
     * a CA that stopped answering within the operation's deadline is a typed timeout, carrying the
     * network failure as its cause, not a network error of the last request.
     */
    private void throwIfDeadlinePassed(AcmeNetworkException failure, String what) throws AcmeTimeoutException {
        Instant end = deadline.get();
        if (end != null && !clock.now().plus(DEADLINE_SLACK).isBefore(end)) {
            AcmeTimeoutException timeout = new AcmeTimeoutException(what + " got no answer before the operation's"
                    + " deadline " + end + ": " + failure.getMessage(), Status.UNKNOWN);
            timeout.initCause(failure);
            throw timeout;
        }
    }

    /** How early a whole-call timeout may fire before the deadline it was cut to (millisecond rounding). */
    private static final java.time.Duration DEADLINE_SLACK = java.time.Duration.ofMillis(50);

    /** Whether waiting {@code wait} would pass this thread's deadline. */
    private boolean passesDeadline(java.time.Duration wait) {
        Instant end = deadline.get();
        return end != null && clock.now().plus(wait).isAfter(end);
    }

    PollPolicy pollPolicy() {
        return pollPolicy;
    }

    Directory directory() throws AcmeException {
        Directory d = directory;
        if (d != null) {
            return d;
        }
        synchronized (this) {
            if (directory == null) {
                HttpResponse response = safely("GET", directoryUrl, () -> transport.get(directoryUrl, ACCEPT_JSON), true);
                if (response.code() != 200) {
                    throw Problems.toException(Problems.fromResponse(response), response, clock.now());
                }
                Directory parsed = Directory.parse(directoryUrl,
                        Json.parseObject(response.body(), "directory " + directoryUrl));
                requireSameScheme(parsed);
                directory = parsed;
            }
            return directory;
        }
    }

    /** GETs renewal information (RFC 9773 section 4.1), a safe request retried as {@link Retries} says. */
    RenewalInfo fetchRenewalInfo(URI url, String certificateId) throws AcmeException {
        requireTls(url);
        HttpResponse response = safely("GET", url, () -> transport.get(url, ACCEPT_JSON), true);
        if (response.code() != 200) {
            throw Problems.toException(Problems.fromResponse(response), response, clock.now());
        }
        Instant retryAfter = dev.keyward.acme.internal.RetryAfter.parse(response.header("Retry-After").orElse(null),
                clock.now()).orElse(null);
        return RenewalInfo.parse(certificateId, Json.parseObject(response.body(), "renewalInfo " + url), retryAfter);
    }

    /**
     * Signs and POSTs a request. {@code badNonce} is retried with the nonce that came with the
     * error, at most {@code maxBadNonceRetries} times; failures are retried per {@link RetryPolicy}:
     * a POST-as-GET ({@code payloadJson == null}) is safe to repeat, any other request only when it
     * surely did not reach the server.
     *
     * @param kid the account URL, or {@code null} to send the signer's {@code jwk}
     * @param payloadJson the payload, or {@code null} for POST-as-GET
     */
    HttpResponse post(URI url, AcmeSigner signer, URI kid, String payloadJson, String accept) throws AcmeException {
        boolean idempotent = payloadJson == null;
        requireTls(url);
        int badNonces = 0;
        for (int retry = 1; ; retry++) {
            String nonce = nextNonce();
            String jws = JwsWriter.sign(signer, url, nonce, kid, payloadJson);
            HttpResponse response;
            try {
                response = HttpTransport.limited(left("POST " + url),
                        () -> events.exchange("POST", url, () -> transport.postJose(url, jws, accept, payloadJson != null)));
            } catch (AcmeNetworkException e) {
                throwIfDeadlinePassed(e, "POST " + url);
                var wait = retries.request(e, idempotent, retry, contacted);
                if (wait.isEmpty() || passesDeadline(wait.get())) {
                    throw e;
                }
                LOG.debug("POST {} failed ({}); retry {} of {}", url, e.getMessage(), retry,
                        retries.policy().maxRetries());
                events.retry("POST", url, e, retry, wait.get());
                retries.pause(wait.get(), "POST " + url);
                continue;
            }
            remember(response);
            LOG.debug("POST {} -> {}", url, response.code());
            if (response.code() < 400) {
                return response;
            }
            Problem problem = Problems.fromResponse(response);
            if (problem.isAcmeError("badNonce") && badNonces < maxBadNonceRetries) {
                badNonces++;
                retry--;
                LOG.debug("badNonce on {}, retry {}", url, badNonces);
                events.badNonce(url, badNonces);
                continue;
            }
            AcmeServerException error = Problems.toException(problem, response, clock.now());
            events.rateLimitedIf(url, error, response.code());
            var wait = retries.request(error, response.code(), idempotent, retry);
            if (wait.isEmpty() || passesDeadline(wait.get())) {
                throw error;
            }
            LOG.debug("POST {} answered {}; retry {} of {}", url, response.code(), retry,
                    retries.policy().maxRetries());
            events.retry("POST", url, error, retry, wait.get());
            retries.pause(wait.get(), "POST " + url);
        }
    }

    /**
     * Runs a safe request (GET, HEAD), retrying as {@link Retries} decides.
     *
     * @param poolNonce whether the answer's nonce goes to the pool; not for newNonce, whose nonce
     *     the caller uses at once
     */
    private HttpResponse safely(String method, URI url, SafeRequest request, boolean poolNonce) throws AcmeException {
        for (int retry = 1; ; retry++) {
            HttpResponse response;
            try {
                response = HttpTransport.limited(left("a request"), () -> events.exchange(method, url, request::send));
            } catch (AcmeNetworkException e) {
                throwIfDeadlinePassed(e, "a request");
                var wait = retries.request(e, true, retry, contacted);
                if (wait.isEmpty() || passesDeadline(wait.get())) {
                    throw e;
                }
                events.retry(method, url, e, retry, wait.get());
                retries.pause(wait.get(), "a request");
                continue;
            }
            if (poolNonce) {
                remember(response);
            }
            if (response.code() >= 400) {
                AcmeServerException error = Problems.toException(Problems.fromResponse(response), response,
                        clock.now());
                events.rateLimitedIf(url, error, response.code());
                var wait = retries.request(error, response.code(), true, retry);
                if (wait.isPresent() && !passesDeadline(wait.get())) {
                    events.retry(method, url, error, retry, wait.get());
                    retries.pause(wait.get(), String.valueOf(response.url()));
                    continue;
                }
            }
            return response;
        }
    }

    /** A GET or HEAD. */
    private interface SafeRequest {
        HttpResponse send() throws AcmeNetworkException;
    }

    /**
     * Refuses a URL without TLS when the directory has TLS (RFC 8555 section 6.1): no signed
     * request, least of all a CSR, goes out in plain text because a server said so.
     */
    private void requireTls(URI url) {
        if (directoryUrl.getScheme().equalsIgnoreCase("https") && !"https".equalsIgnoreCase(url.getScheme())) {
            throw new AcmeProtocolException("the https CA handed out " + url + " without TLS; refusing to send to it");
        }
    }

    /** An https directory must not hand out http URLs (RFC 8555 section 6.1). */
    private void requireSameScheme(Directory parsed) {
        if (!directoryUrl.getScheme().equalsIgnoreCase("https")) {
            return;
        }
        for (var entry : parsed.resources().entrySet()) {
            if (!entry.getValue().getScheme().equalsIgnoreCase("https")) {
                throw new AcmeProtocolException("directory " + directoryUrl + " is https but hands out the "
                        + entry.getKey() + " URL " + entry.getValue() + " without TLS");
            }
        }
    }

    int pooledNonces() {
        return nonces.size();
    }

    private String nextNonce() throws AcmeException {
        var pooled = nonces.take();
        if (pooled.isPresent()) {
            return pooled.get();
        }
        URI newNonce = directory().newNonce();
        events.nonceMiss(newNonce);
        HttpResponse response = safely("HEAD", newNonce, () -> transport.head(newNonce), false);
        if (response.code() >= 400) {
            throw Problems.toException(Problems.fromResponse(response), response, clock.now());
        }
        return response.header("Replay-Nonce")
                .filter(n -> !n.isBlank())
                .orElseThrow(() -> new AcmeProtocolException("newNonce " + newNonce + " answered "
                        + response.code() + " without a Replay-Nonce header"));
    }

    private void remember(HttpResponse response) {
        contacted = true;
        nonces.offer(response.header("Replay-Nonce").orElse(null));
    }
}
