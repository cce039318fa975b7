package dev.keyward.acme;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Hears what an {@link AcmeClient} sends and why, in the style of OkHttp's {@code EventListener}:
 * every method has an empty default, so methods can be added later without breaking anyone. Set
 * one with {@link AcmeClient.Builder#eventListener}; the default is {@link #NONE}.
 *
 * <p>Which events fire for what:
 * <ul>
 *   <li>Every HTTP request to the CA (the directory, {@code newNonce}, each signed POST and
 *       POST-as-GET of RFC 8555 section 6.3, {@code renewalInfo} of RFC 9773): one
 *       {@link #requestStart} and then one {@link #requestEnd} (a response arrived, whatever its
 *       status) or one {@link #requestFailed} (no response: a network fault or a timeout). A
 *       retried request fires a new pair for each attempt.</li>
 *   <li>{@link #nonceMiss}: the nonce pool (section 7.2) was empty, so a {@code newNonce} request
 *       (with its own start/end pair) comes first.</li>
 *   <li>{@link #badNonce}: the CA refused a nonce (section 6.5); the request is sent again with the
 *       nonce that came with the error. Not a {@link #retry}: nothing failed but the nonce.</li>
 *   <li>{@link #rateLimited}: the CA answered {@code rateLimited} or HTTP 429 (section 6.6).</li>
 *   <li>{@link #retry}: a failed request is repeated after a wait, as {@link RetryPolicy} allows.</li>
 *   <li>{@link #poll}: an order or authorization is still waiting (section 7.5.1) and is fetched
 *       again after a delay.</li>
 * </ul>
 *
 * <p>Called on the thread that sends the request, synchronously, so a method must return quickly.
 * A method that throws a {@link RuntimeException} never breaks the request or the flow: the
 * exception is caught, the first one per client is logged at WARN (later ones at DEBUG), and the
 * work carries on. Durations are measured with {@link System#nanoTime()}, not the client's
 * {@link AcmeClock}: they are what the request really took.
 */
public interface AcmeEventListener {
    /** A listener that does nothing: the default. */
    AcmeEventListener NONE = new AcmeEventListener() { };

    /**
     * A request is about to be sent.
     *
     * @param method {@code GET}, {@code HEAD} or {@code POST}
     * @param url the URL
     */
    default void requestStart(String method, URI url) {
    }

    /**
     * A response arrived (any status, errors included) and its body was read.
     *
     * @param method {@code GET}, {@code HEAD} or {@code POST}
     * @param url the URL
     * @param status the HTTP status code
     * @param duration from {@link #requestStart} to the end of the body
     */
    default void requestEnd(String method, URI url, int status, Duration duration) {
    }

    /**
     * A request got no response: the connection failed, timed out, or the body could not be read.
     *
     * @param method {@code GET}, {@code HEAD} or {@code POST}
     * @param url the URL
     * @param failure what went wrong: an {@link AcmeNetworkException}, or an
     *     {@link AcmeProtocolException} for a body over {@link AcmeClient.Builder#maxResponseBytes}
     * @param duration from {@link #requestStart} to the failure
     */
    default void requestFailed(String method, URI url, Exception failure, Duration duration) {
    }

    /**
     * A failed request is repeated after {@code delay} (RFC 8555 section 6.6; {@link RetryPolicy}).
     *
     * @param method {@code GET}, {@code HEAD} or {@code POST}
     * @param url the URL
     * @param reason the failure being retried: a network fault or the CA's problem
     * @param attempt the retry this is: 1 for the first
     * @param delay how long the client waits before sending again
     */
    default void retry(String method, URI url, AcmeException reason, int attempt, Duration delay) {
    }

    /**
     * The CA refused the nonce of a request with {@code badNonce} (RFC 8555 section 6.5); the
     * request is signed again with the nonce of the error and sent at once.
     *
     * @param url the URL of the refused request
     * @param attempt how many times this request met {@code badNonce}: 1 for the first
     */
    default void badNonce(URI url, int attempt) {
    }

    /**
     * The pool held no nonce, so a fresh one is fetched from {@code newNonce} (RFC 8555 section 7.2)
     * before the signed request.
     *
     * @param newNonceUrl the {@code newNonce} URL about to be asked
     */
    default void nonceMiss(URI newNonceUrl) {
    }

    /**
     * The CA answered {@code rateLimited} or HTTP 429 (RFC 8555 section 6.6).
     *
     * @param url the URL of the refused request
     * @param retryAfter the CA's {@code Retry-After}, if it sent one
     */
    default void rateLimited(URI url, Optional<Instant> retryAfter) {
    }

    /**
     * An order or authorization is still in a waiting status (RFC 8555 section 7.5.1) and is
     * fetched again after {@code nextDelay}, which honours the CA's {@code Retry-After} or follows
     * {@link PollPolicy}. Fires once before each poll request.
     *
     * @param url the URL of the order or authorization
     * @param status the status it was found in
     * @param nextDelay how long the client waits before the next fetch
     */
    default void poll(URI url, Status status, Duration nextDelay) {
    }
}
