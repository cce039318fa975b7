package dev.keyward.acme.internal;

import dev.keyward.acme.AcmeNetworkException;
import dev.keyward.acme.AcmeProtocolException;
import dev.keyward.acme.AcmeTlsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Sends HTTP requests through OkHttp and reads whole responses with a body-size cap. Turns I/O
 * failures into {@link AcmeNetworkException}, stating whether a POST may have reached the server.
 */
public final class HttpTransport {
    private static final MediaType JOSE_JSON = MediaType.get("application/jose+json");

    private final OkHttpClient client;
    private final String userAgent;
    private final long maxBodyBytes;

    /**
     * Creates a transport.
     *
     * @param client the OkHttp client (its timeouts apply)
     * @param userAgent the {@code User-Agent} header (RFC 8555 section 6.1)
     * @param maxBodyBytes the largest body read; larger ones raise {@link AcmeProtocolException}
     */
    public HttpTransport(OkHttpClient client, String userAgent, long maxBodyBytes) {
        this.client = client;
        this.userAgent = userAgent;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * GET.
     *
     * @param url the URL
     * @param accept the {@code Accept} header
     * @return the response
     * @throws AcmeNetworkException on I/O failure
     */
    public HttpResponse get(URI url, String accept) throws AcmeNetworkException {
        return execute(base(url).header("Accept", accept).get().build(), url, false);
    }

    /**
     * HEAD.
     *
     * @param url the URL
     * @return the response (empty body)
     * @throws AcmeNetworkException on I/O failure
     */
    public HttpResponse head(URI url) throws AcmeNetworkException {
        return execute(base(url).head().build(), url, false);
    }

    /**
     * POST of a JWS with {@code Content-Type: application/jose+json} (RFC 8555 section 6.2).
     *
     * @param url the URL
     * @param jws the flattened JWS
     * @param accept the {@code Accept} header
     * @param changesState whether the request may change state (false for POST-as-GET), for
     *     {@link AcmeNetworkException#mayHaveTakenEffect()}
     * @return the response
     * @throws AcmeNetworkException on I/O failure
     */
    public HttpResponse postJose(URI url, String jws, String accept, boolean changesState) throws AcmeNetworkException {
        Request request = base(url).header("Accept", accept)
                .post(RequestBody.create(jws.getBytes(java.nio.charset.StandardCharsets.UTF_8), JOSE_JSON)).build();
        return execute(request, url, changesState);
    }

    private Request.Builder base(URI url) {
        try {
            return new Request.Builder().url(url.toString()).header("User-Agent", userAgent);
        } catch (IllegalArgumentException e) {
            throw new AcmeProtocolException("cannot send a request to " + url + ": " + e.getMessage(), e);
        }
    }

    /**
     * The longest the next request of this thread may take in all (connect, write, wait, read),
     * set by the session from the operation's deadline; {@code null} for the client's own timeouts.
     */
    private static final ThreadLocal<java.time.Duration> CALL_LIMIT = new ThreadLocal<>();

    /**
     * Runs {@code request} with a whole-call time limit on this thread.
     *
     * @param limit the limit, or {@code null} for none
     * @param request the request
     * @param <T> the result
     * @return what the request returned
     * @throws AcmeNetworkException as the request does
     */
    public static <T> T limited(java.time.Duration limit, NetworkCall<T> request) throws AcmeNetworkException {
        java.time.Duration outer = CALL_LIMIT.get();
        CALL_LIMIT.set(limit);
        try {
            return request.run();
        } finally {
            if (outer == null) {
                CALL_LIMIT.remove();
            } else {
                CALL_LIMIT.set(outer);
            }
        }
    }

    /**
     * One call of this transport.
     *
     * @param <T> the result
     */
    public interface NetworkCall<T> {
        /**
         * Sends the request.
         *
         * @return the result
         * @throws AcmeNetworkException if it fails
         */
        T run() throws AcmeNetworkException;
    }

    private HttpResponse execute(Request request, URI url, boolean changesState) throws AcmeNetworkException {
        java.time.Duration limit = CALL_LIMIT.get();
        Call call = client.newCall(request);
        if (limit != null) {
            // The call's own timeout, set before it runs: building a client per call would redo
            // OkHttp's per-client set-up (an index of every trusted CA certificate) each request.
            call.timeout().timeout(Math.max(1, limit.toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        try (Response response = call.execute()) {
            return new HttpResponse(url, response.code(), headerMap(response.headers()), readBody(response, url));
        } catch (InterruptedIOException e) {
            throw new AcmeNetworkException(request.method() + " " + url + " timed out", e, changesState);
        } catch (IOException e) {
            if (isTlsRefusal(e)) {
                throw new AcmeTlsException(request.method() + " " + url + ": TLS failed" + detail(e), e);
            }
            boolean notSent = e instanceof ConnectException || e instanceof UnknownHostException
                    || e instanceof NoRouteToHostException || e instanceof SSLHandshakeException;
            throw new AcmeNetworkException(request.method() + " " + url + " failed: " + describe(e), e,
                    changesState && !notSent);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // OkHttp's HTTP/1 reader trips on some answers outside HTTP/1.1: an informational 1xx
            // status where the final answer belongs ends as "IllegalStateException: state: 0".
            throw new AcmeProtocolException(request.method() + " " + url + ": the server's answer is not valid HTTP"
                    + " (an interim 1xx status or a malformed status line or header)", e);
        }
    }

    private byte[] readBody(Response response, URI url) throws IOException {
        ResponseBody body = response.body();
        if (body == null) {
            return new byte[0];
        }
        long declared = body.contentLength();
        if (declared > maxBodyBytes) {
            throw new AcmeProtocolException("response from " + url + " is " + declared
                    + " bytes, more than the limit of " + maxBodyBytes);
        }
        try (InputStream in = body.byteStream()) {
            byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (data.length > maxBodyBytes) {
                throw new AcmeProtocolException("response from " + url + " is larger than the limit of "
                        + maxBodyBytes + " bytes");
            }
            return data;
        }
    }

    private static Map<String, List<String>> headerMap(Headers headers) {
        Map<String, List<String>> map = new HashMap<>();
        for (String name : headers.names()) {
            map.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(headers.values(name)));
        }
        return map;
    }

    /**
     * A TLS failure that repeating cannot mend: an untrusted or mismatched certificate, or a peer
     * that does not speak TLS. A reset during the handshake is not one.
     */
    static boolean isTlsRefusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException
                    || t instanceof java.security.cert.CertPathBuilderException
                    || t instanceof java.security.cert.CertPathValidatorException
                    || t instanceof javax.net.ssl.SSLPeerUnverifiedException) {
                return true;
            }
            if (t instanceof javax.net.ssl.SSLException && t.getCause() == null
                    && String.valueOf(t.getMessage()).contains("nrecognized SSL message")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A network failure in plain words, never a Java class name; the JDK's or OkHttp's own message
     * (a host, a port, "Connection reset") follows in parentheses, capped and escaped.
     */
    static String describe(IOException e) {
        String what;
        if (e instanceof UnknownHostException) {
            what = "the host name does not resolve";
        } else if (e instanceof ConnectException) {
            what = "the connection was refused or could not be made";
        } else if (e instanceof NoRouteToHostException) {
            what = "there is no route to the host";
        } else if (e instanceof javax.net.ssl.SSLException) {
            what = "TLS failed";
        } else if (e instanceof java.io.EOFException
                || (e.getMessage() != null && e.getMessage().startsWith("unexpected end of stream"))) {
            what = "the connection closed before the answer was complete";
        } else if (e instanceof java.net.SocketException) {
            what = "the connection broke";
        } else {
            what = "a network failure";
        }
        return what + detail(e);
    }

    /** The exception's own message in parentheses, capped and escaped; empty without one. */
    private static String detail(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? "" : " (" + Quote.text(message, 200) + ")";
    }
}
