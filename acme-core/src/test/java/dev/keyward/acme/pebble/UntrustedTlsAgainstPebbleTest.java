package dev.keyward.acme.pebble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeTlsException;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** A server certificate the client does not trust fails at once: repeating cannot mend it. */
class UntrustedTlsAgainstPebbleTest extends AgainstPebble {
    @Test
    void anUntrustedCertificateIsReportedAfterOneAttemptWithoutRetries() {
        AtomicInteger attempts = new AtomicInteger();
        OkHttpClient counting = new OkHttpClient.Builder().addInterceptor(chain -> {
            attempts.incrementAndGet();
            return chain.proceed(chain.request());
        }).build();

        try (AcmeClient untrusting = AcmeClient.builder(pebble.server().directoryUri()).httpClient(counting).build()) {
            assertThatThrownBy(untrusting::fetchDirectory).isInstanceOfSatisfying(AcmeTlsException.class,
                    e -> assertThat(e.mayHaveTakenEffect()).isFalse());
        }
        assertThat(attempts).hasValue(1);
    }
}
