package dev.keyward.acme.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.AcmeSolverException;
import dev.keyward.acme.Challenge;
import dev.keyward.acme.ChallengeSolver;
import dev.keyward.acme.Http01Server;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MicrometerEventListener} given to a manager that issues against Pebble: it records every
 * ACME request the manager's CA client sent (the manager installs its listener on the client),
 * tagged by method and status, the succeeded and failed issuances per set, and a gauge of the
 * time to expiry of each set's served certificate.
 */
class MicrometerEventListenerTest {
    private static final Pattern REQUEST = Pattern.compile("\\b(GET|HEAD|POST) (/\\S*) -> calling handler");

    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.builder()
            .server(PebbleServer.builder().authorizationReusePercent(0).nonceRejectPercent(0)).build();

    @TempDir
    Path storageDirectory;

    @Test
    void recordsEachRequestByStatusTheIssuancesPerSetAndTheTimeToExpiry() throws Exception {
        PebbleServer pebble = PEBBLE.server();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AcmeCa ca = AcmeCa.builder(pebble.directoryUri()).trustAnchors(pebble.trustAnchors())
                .agreeToTermsOfService().build();
        Path log = pebble.workDirectory().resolve("pebble.log");
        long mark = Files.size(log);
        try (Http01Server http = Http01Server.start(new InetSocketAddress("127.0.0.1", pebble.http01Port()));
             CertificateManager manager = CertificateManager.builder()
                     .storage(CertificateStorage.files(storageDirectory))
                     .add(CertificateSet.builder("www").domains("www.metrics.test").ca(ca).solvers(http).build())
                     .add(CertificateSet.builder("broken").domains("broken.metrics.test").ca(ca)
                             .solvers(new RefusingSolver()).build())
                     .backgroundScheduling(false)
                     .eventListener(MicrometerEventListener.create(registry))
                     .build()) {
            manager.start();

            assertThat(registry.counter("keyward.issuances", "set", "www", "outcome", "succeeded").count()).isEqualTo(1);
            assertThat(registry.counter("keyward.issuances", "set", "broken", "outcome", "failed").count()).isEqualTo(1);
            assertThat(registry.find("keyward.issuances").tags("set", "www", "outcome", "failed").counter()).isNull();

            long recorded = registry.find("keyward.acme.requests").timers().stream().mapToLong(Timer::count).sum();
            assertThat(recorded).as("requests Pebble logged").isEqualTo(requestsSince(log, mark));
            assertThat(registry.find("keyward.acme.requests").tags("method", "POST", "status", "201").timer())
                    .as("newAccount and newOrder").isNotNull();
            assertThat(registry.find("keyward.acme.requests").tags("method", "GET", "status", "200").timer())
                    .as("the directory and renewalInfo").isNotNull();
            assertThat(registry.counter("keyward.acme.nonce.misses").count()).isEqualTo(1);
            assertThat(registry.counter("keyward.acme.polls").count()).isPositive();

            Instant notAfter = manager.certificate("www").orElseThrow().notAfter();
            double expected = Duration.between(Instant.now(), notAfter).toSeconds();
            assertThat(registry.get("keyward.certificate.expiry").tag("set", "www").gauge().value())
                    .isBetween(expected - 60, expected + 60);
            assertThat(registry.find("keyward.certificate.expiry").tag("set", "broken").gauge())
                    .as("no certificate, no gauge").isNull();
            assertThat(registry.getMeters()).extracting(m -> m.getId().getName()).allMatch(n -> n.startsWith("keyward."));
            assertThat(registry.getMeters()).extracting(Meter::getId).doesNotHaveDuplicates();
        }
    }

    private static long requestsSince(Path log, long mark) throws IOException {
        String text;
        try (InputStream in = Files.newInputStream(log)) {
            in.skipNBytes(mark);
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher m = REQUEST.matcher(text);
        long count = 0;
        while (m.find()) {
            count++;
        }
        return count;
    }

    /** A solver that cannot publish anything: the issuance of its set fails. */
    private static final class RefusingSolver implements ChallengeSolver {
        @Override
        public Set<String> challengeTypes() {
            return Set.of("http-01");
        }

        @Override
        public void deploy(Challenge challenge) throws AcmeSolverException {
            throw new AcmeSolverException("this solver publishes nothing", null);
        }

        @Override
        public void remove(Challenge challenge) {
        }
    }
}
