package dev.keyward.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exceptions cross serialization boundaries (remote workers, job queues) with their problem documents. */
class ExceptionSerializationTest {
    @Test
    void aRateLimitedExceptionKeepsItsProblemAndRetryAfterThroughSerialization() throws Exception {
        Problem sub = new Problem(URI.create("urn:ietf:params:acme:error:rejectedIdentifier"), null, "no",
                400, null, Identifier.dns("example.org"), List.of());
        Problem problem = new Problem(URI.create("urn:ietf:params:acme:error:rateLimited"), null, "too many",
                429, URI.create("https://ca.example/limits"), null, List.of(sub));
        Instant retryAfter = Instant.parse("2026-11-23T00:00:00Z");

        Object copy = roundTrip(new AcmeRateLimitedException(problem, retryAfter));

        assertThat(copy).isInstanceOfSatisfying(AcmeRateLimitedException.class, e -> {
            assertThat(e.problem()).isEqualTo(problem);
            assertThat(e.problem().subproblems().get(0).identifier()).contains(Identifier.dns("example.org"));
            assertThat(e.retryAfter()).contains(retryAfter);
            assertThat(e.getMessage()).contains("too many");
        });
    }

    private static Object roundTrip(Object value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }
}
