package dev.keyward.acme.pebble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeEventListener;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.IssuanceResult;
import dev.keyward.acme.Status;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The events of a whole issuance (RFC 8555 section 7.4) against Pebble, which rejects no nonce and
 * reuses no authorization here, so the sequence is exact: the listener hears one start and one end
 * per request, in the order and with the methods Pebble logged them; one nonce-pool miss (the
 * first signed request); a poll event before every poll; no retry and no {@code badNonce}.
 */
class ClientEventsAgainstPebbleTest {
    private static final Pattern REQUEST = Pattern.compile("\\b(GET|HEAD|POST) (/\\S*) -> calling handler");

    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder().server(PebbleServer.builder()
            .authorizationReusePercent(0).nonceRejectPercent(0)).build();

    @Test
    void anIssuanceReportsEachRequestPebbleLoggedInOrderWithOneNonceMissAndAPollBeforeEachPoll() throws Exception {
        Recording events = new Recording();
        PebbleFlow flow = new PebbleFlow(pebble.server());
        long mark = Files.size(pebbleLog());
        IssuanceResult result;
        try (AcmeClient client = AcmeClient.builder(pebble.server().directoryUri())
                .trustAnchors(pebble.server().trustAnchors()).eventListener(events).build()) {
            result = flow.issuance(flow.register(client, TestKeys.ecP256()), List.of(PebbleFlow.uniqueName("events")),
                    PebbleFlow.Method.HTTP01, TestKeys.ecP256());
        }

        List<String> logged = methodsSince(mark);
        assertThat(events.named("start")).as("requests Pebble logged: %s", logged)
                .extracting(line -> line.split(" ")[1]).containsExactlyElementsOf(logged);
        assertThat(events.named("end")).hasSameSizeAs(logged).allMatch(line -> line.matches("end \\S+ \\S+ 2\\d\\d"));
        assertThat(events.named("failed")).isEmpty();
        assertThat(events.named("nonceMiss")).hasSize(1);
        assertThat(events.lines.get(events.lines.indexOf(events.named("nonceMiss").get(0)) + 1))
                .startsWith("start HEAD ");
        assertThat(events.named("retry")).isEmpty();
        assertThat(events.named("badNonce")).isEmpty();
        assertThat(events.named("rateLimited")).isEmpty();

        String orderUrl = result.order().url().toString();
        List<String> polls = events.named("poll");
        assertThat(polls).as("at least the order is polled while it is processing").isNotEmpty()
                .anyMatch(line -> line.startsWith("poll " + orderUrl + " "));
        for (String poll : polls) {
            String url = poll.split(" ")[1];
            assertThat(poll.split(" ")[2]).isIn("pending", "processing", "ready");
            assertThat(events.lines.get(events.lines.indexOf(poll) + 1)).isEqualTo("start POST " + url);
        }
    }

    private static Path pebbleLog() {
        return pebble.server().workDirectory().resolve("pebble.log");
    }

    /** The methods of the requests Pebble logged after {@code mark}, in order. */
    private static List<String> methodsSince(long mark) throws IOException {
        String text;
        try (InputStream in = Files.newInputStream(pebbleLog())) {
            in.skipNBytes(mark);
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> methods = new ArrayList<>();
        Matcher m = REQUEST.matcher(text);
        while (m.find()) {
            methods.add(m.group(1));
        }
        return methods;
    }

    /** Records each event as one line with the full URL. */
    private static final class Recording implements AcmeEventListener {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void requestStart(String method, URI url) {
            lines.add("start " + method + " " + url);
        }

        @Override
        public void requestEnd(String method, URI url, int status, Duration duration) {
            lines.add("end " + method + " " + url + " " + status);
        }

        @Override
        public void requestFailed(String method, URI url, Exception failure, Duration duration) {
            lines.add("failed " + method + " " + url);
        }

        @Override
        public void retry(String method, URI url, AcmeException reason, int attempt, Duration delay) {
            lines.add("retry " + method + " " + url);
        }

        @Override
        public void badNonce(URI url, int attempt) {
            lines.add("badNonce " + url);
        }

        @Override
        public void nonceMiss(URI newNonceUrl) {
            lines.add("nonceMiss " + newNonceUrl);
        }

        @Override
        public void rateLimited(URI url, java.util.Optional<java.time.Instant> retryAfter) {
            lines.add("rateLimited " + url);
        }

        @Override
        public void poll(URI url, Status status, Duration nextDelay) {
            lines.add("poll " + url + " " + status.value() + " " + nextDelay);
        }

        List<String> named(String event) {
            synchronized (lines) {
                return lines.stream().filter(l -> l.startsWith(event + " ")).collect(Collectors.toList());
            }
        }
    }
}
