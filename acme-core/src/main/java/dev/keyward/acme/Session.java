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
    private volatile Directory directory;

    Session(URI directoryUrl, HttpTransport transport, AcmeClock clock, PollPolicy pollPolicy, int maxBadNonceRetries) {
        this.directoryUrl = directoryUrl;
        this.transport = transport;
        this.nonces = new NoncePool(64);
        this.clock = clock;
        this.pollPolicy = pollPolicy;
        this.maxBadNonceRetries = maxBadNonceRetries;
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
                HttpResponse response = transport.get(directoryUrl, ACCEPT_JSON);
                remember(response);
                if (response.code() != 200) {
                    throw Problems.toException(Problems.fromResponse(response), response, clock.now());
                }
                directory = Directory.parse(directoryUrl,
                        Json.parseObject(response.body(), "directory " + directoryUrl));
            }
            return directory;
        }
    }

    /**
     * Signs and POSTs a request, retrying {@code badNonce} with the nonce that came with the
     * error, at most {@code maxBadNonceRetries} times.
     *
     * @param kid the account URL, or {@code null} to send the signer's {@code jwk}
     * @param payloadJson the payload, or {@code null} for POST-as-GET
     */
    HttpResponse post(URI url, AcmeSigner signer, URI kid, String payloadJson, String accept) throws AcmeException {
        for (int attempt = 1; ; attempt++) {
            String nonce = nextNonce();
            String jws = JwsWriter.sign(signer, url, nonce, kid, payloadJson);
            HttpResponse response = transport.postJose(url, jws, accept);
            remember(response);
            LOG.debug("POST {} -> {}", url, response.code());
            if (response.code() < 400) {
                return response;
            }
            Problem problem = Problems.fromResponse(response);
            if (problem.isAcmeError("badNonce") && attempt <= maxBadNonceRetries) {
                LOG.debug("badNonce on {}, attempt {}; retrying", url, attempt);
                continue;
            }
            throw Problems.toException(problem, response, clock.now());
        }
    }

    /** A plain GET, for resources that allow it (the certificate download falls back to it). */
    HttpResponse get(URI url, String accept) throws AcmeException {
        HttpResponse response = transport.get(url, accept);
        remember(response);
        if (response.code() >= 400) {
            throw Problems.toException(Problems.fromResponse(response), response, clock.now());
        }
        return response;
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
        HttpResponse response = transport.head(newNonce);
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
