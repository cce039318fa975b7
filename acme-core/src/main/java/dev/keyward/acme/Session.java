package dev.keyward.acme;

import dev.keyward.acme.internal.HttpResponse;
import dev.keyward.acme.internal.HttpTransport;
import dev.keyward.acme.internal.Json;
import dev.keyward.acme.internal.JwsWriter;
import dev.keyward.acme.internal.NoncePool;
import java.net.URI;
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
    private final RetryPolicy retryPolicy;
    private volatile Directory directory;

    Session(URI directoryUrl, HttpTransport transport, AcmeClock clock, PollPolicy pollPolicy, int maxBadNonceRetries,
            RetryPolicy retryPolicy) {
        this.directoryUrl = directoryUrl;
        this.transport = transport;
        this.nonces = new NoncePool(64);
        this.clock = clock;
        this.pollPolicy = pollPolicy;
        this.maxBadNonceRetries = maxBadNonceRetries;
        this.retryPolicy = retryPolicy;
    }

    AcmeClock clock() {
        return clock;
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
                HttpResponse response = safely(() -> transport.get(directoryUrl, ACCEPT_JSON), true);
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
        requireTls(url);
        boolean safe = payloadJson == null;
        int badNonces = 0;
        int retries = 0;
        while (true) {
            String nonce = nextNonce();
            String jws = JwsWriter.sign(signer, url, nonce, kid, payloadJson);
            HttpResponse response;
            try {
                response = transport.postJose(url, jws, accept, !safe);
            } catch (AcmeTlsException e) {
                throw e;
            } catch (AcmeNetworkException e) {
                if ((safe || !e.mayHaveTakenEffect()) && retries < retryPolicy.maxNetworkRetries()) {
                    retries++;
                    LOG.debug("POST {} failed ({}); retry {} of {}", url, e.getMessage(), retries,
                            retryPolicy.maxNetworkRetries());
                    pause(retryPolicy.backoff(retries), url);
                    continue;
                }
                throw e;
            }
            remember(response);
            LOG.debug("POST {} -> {}", url, response.code());
            if (response.code() < 400) {
                return response;
            }
            Problem problem = Problems.fromResponse(response);
            if (problem.isAcmeError("badNonce") && badNonces < maxBadNonceRetries) {
                badNonces++;
                LOG.debug("badNonce on {}, retry {}", url, badNonces);
                continue;
            }
            AcmeServerException error = Problems.toException(problem, response, clock.now());
            if (retries < retryPolicy.maxNetworkRetries()) {
                var wait = retryWait(response, error, safe, retries + 1);
                if (wait.isPresent()) {
                    retries++;
                    LOG.debug("POST {} answered {}; retry {} of {}", url, response.code(), retries,
                            retryPolicy.maxNetworkRetries());
                    pause(wait.get(), url);
                    continue;
                }
            }
            throw error;
        }
    }

    /**
     * How long to wait before repeating a request the server refused, if it should be repeated:
     * a {@code Retry-After} within the policy's limit (the server acted on nothing), or a
     * transient 5xx of a safe request.
     */
    private java.util.Optional<java.time.Duration> retryWait(HttpResponse response, AcmeServerException error,
                                                            boolean safe, int retry) {
        var retryAfter = error.retryAfter();
        int code = response.code();
        if (retryAfter.isPresent() && (code == 429 || code == 503)) {
            java.time.Duration wait = java.time.Duration.between(clock.now(), retryAfter.get());
            if (wait.isNegative()) {
                wait = java.time.Duration.ZERO;
            }
            return wait.compareTo(retryPolicy.maxRetryAfter()) <= 0 && !retryPolicy.maxRetryAfter().isZero()
                    ? java.util.Optional.of(wait) : java.util.Optional.empty();
        }
        if (safe && (code == 500 || code == 502 || code == 504 || (code == 503 && retryAfter.isEmpty()))) {
            return java.util.Optional.of(retryPolicy.backoff(retry));
        }
        return java.util.Optional.empty();
    }

    /**
     * Runs a safe request (GET, HEAD), retrying network failures and transient 5xx per the policy.
     *
     * @param poolNonce whether the answer's nonce goes to the pool; not for newNonce, whose nonce
     *     the caller uses at once
     */
    private HttpResponse safely(SafeRequest request, boolean poolNonce) throws AcmeException {
        for (int retries = 0; ; retries++) {
            HttpResponse response;
            try {
                response = request.send();
            } catch (AcmeNetworkException e) {
                if (e instanceof AcmeTlsException || retries >= retryPolicy.maxNetworkRetries()) {
                    throw e;
                }
                pause(retryPolicy.backoff(retries + 1), null);
                continue;
            }
            if (poolNonce) {
                remember(response);
            }
            if (response.code() >= 400 && retries < retryPolicy.maxNetworkRetries()) {
                var wait = retryWait(response, Problems.toException(Problems.fromResponse(response), response,
                        clock.now()), true, retries + 1);
                if (wait.isPresent()) {
                    pause(wait.get(), null);
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

    private void pause(java.time.Duration wait, URI url) throws AcmeException {
        try {
            clock.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcmeException("interrupted while waiting to retry" + (url == null ? "" : " " + url), e);
        }
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
        HttpResponse response = safely(() -> transport.head(newNonce), false);
        if (response.code() >= 400) {
            throw Problems.toException(Problems.fromResponse(response), response, clock.now());
        }
        return response.header("Replay-Nonce")
                .filter(n -> !n.isBlank())
                .orElseThrow(() -> new AcmeProtocolException("newNonce " + newNonce + " answered "
                        + response.code() + " without a Replay-Nonce header"));
    }

    private void remember(HttpResponse response) {
        nonces.offer(response.header("Replay-Nonce").orElse(null));
    }
}
