package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import java.time.Duration;
import okhttp3.OkHttpClient;

/**
 * The ways a connection breaks that WireMock can play: the four {@link Fault}s, and a stall that
 * answers only after {@link #STALL} while the client reads with {@link #READ_TIMEOUT} (build it
 * with {@link #impatientHttpClient()}).
 */
enum Breakage {
    CONNECTION_RESET(Fault.CONNECTION_RESET_BY_PEER),
    EMPTY_RESPONSE(Fault.EMPTY_RESPONSE),
    MALFORMED_RESPONSE_CHUNK(Fault.MALFORMED_RESPONSE_CHUNK),
    RANDOM_DATA_THEN_CLOSE(Fault.RANDOM_DATA_THEN_CLOSE),
    STALL_BEYOND_READ_TIMEOUT(null);

    static final Duration READ_TIMEOUT = Duration.ofMillis(300);
    static final Duration STALL = Duration.ofMillis(1000);

    private final Fault fault;

    Breakage(Fault fault) {
        this.fault = fault;
    }

    /** The broken form of {@code answer} (which is left as it is): a fault instead, or the answer too late. */
    ResponseDefinitionBuilder of(ResponseDefinitionBuilder answer) {
        return fault != null ? aResponse().withFault(fault)
                : ResponseDefinitionBuilder.like(answer.build()).withFixedDelay((int) STALL.toMillis());
    }

    /** An OkHttp client that gives up reading after {@link #READ_TIMEOUT}. */
    static OkHttpClient impatientHttpClient() {
        return new OkHttpClient.Builder().readTimeout(READ_TIMEOUT).build();
    }
}
