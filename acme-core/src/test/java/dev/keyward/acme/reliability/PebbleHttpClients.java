package dev.keyward.acme.reliability;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.testkit.PebbleServer;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * Caller-owned OkHttp clients that trust a test kit's Pebble, with an interceptor, for the tests
 * that watch the wire. Their timeouts are those of {@link AcmeClient}'s own default client.
 */
final class PebbleHttpClients {
    private PebbleHttpClients() {
    }

    /**
     * An OkHttp client whose only trust anchor is the Pebble run's CA.
     *
     * @param pebble the running server
     * @param interceptor an application interceptor, such as a {@link TrafficRecorder}
     * @return the client
     */
    static OkHttpClient trusting(PebbleServer pebble, Interceptor interceptor) {
        return new OkHttpClient.Builder()
                .sslSocketFactory(pebble.sslContext().getSocketFactory(), pebble.trustManager())
                .connectTimeout(10, TimeUnit.SECONDS)
                .readTimeout(30, TimeUnit.SECONDS)
                .callTimeout(60, TimeUnit.SECONDS)
                .followRedirects(false)
                .addInterceptor(interceptor)
                .build();
    }

    /**
     * An {@link AcmeClient} of the Pebble run that sends through {@code http}.
     *
     * @param pebble the running server
     * @param http the caller's OkHttp client
     * @return the client
     */
    static AcmeClient acmeClient(PebbleServer pebble, OkHttpClient http) {
        return AcmeClient.builder(pebble.directoryUri()).httpClient(http).build();
    }

    /**
     * Releases what a caller-owned client holds, as its owner must: the dispatcher's threads and
     * the idle pooled connections.
     *
     * @param http the client
     */
    static void release(OkHttpClient http) {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
