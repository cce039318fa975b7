package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code keyward issue} into an {@code --out} that holds a certificate already, killed with SIGKILL
 * at each named point ({@link TestPause}): at every point {@code key.pem} certifies the key of
 * {@code cert.pem} and {@code chain.pem} starts with it; the rerun converges on a new certificate,
 * resumes the interrupted order (one order in Pebble for the logical issuance, so one certificate),
 * and leaves no record or temporary file behind.
 */
class IssueKillPointsProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(150);
    private static final Pattern NEW_ORDER = Pattern.compile("POST /order-plz -> calling handler");

    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder().server(PebbleServer.builder()
            .authorizationReusePercent(0).nonceRejectPercent(0)).build();

    @TempDir
    Path dir;

    private List<String> issue(Path out, String name) {
        PebbleServer server = pebble.server();
        return List.of("--directory", server.directoryUri().toString(), "--trust", server.trustAnchorPemFile().toString(),
                "--account-key", dir.resolve("account.pem").toString(), "issue", "-d", name,
                "--http01-port", String.valueOf(server.http01Port()), "--out", out.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"after-new-order", "before-finalize", "after-download", "before-switch", "after-switch"})
    void killedAtAnyPointTheFilesAgreeAndTheRerunResumesTheOrderAndConverges(String point) throws Exception {
        Path out = dir.resolve("out");
        List<String> issue = issue(out, "kill-" + UUID.randomUUID().toString().substring(0, 8) + ".keyward.test");
        CliRun first = CliRun.of(issue);
        assertThat(first.exitCode).as(first.toString()).isZero();
        X509Certificate before = CertificateFiles.leaf(out.resolve("cert.pem"), "test");
        long mark = Files.size(pebbleLog());

        try (KeywardProcess killed = KeywardProcess.start(dir, Map.of(TestPause.VARIABLE, point),
                issue.toArray(new String[0]))) {
            killed.await(l -> l.equals(TestPause.MARKER + point), WAIT);
            killed.kill();
        }

        OutputFilesTest.assertCertificateAndKeyAgree(out);
        X509Certificate afterKill = CertificateFiles.leaf(out.resolve("cert.pem"), "test");
        if (point.equals("after-switch")) {
            assertThat(afterKill).as("switched: the new certificate").isNotEqualTo(before);
        } else {
            assertThat(afterKill).as("not switched yet: the old certificate").isEqualTo(before);
        }
        assertThat(out.resolve(".pending/order.properties")).as("the issuance is recorded").exists();

        CliRun rerun = CliRun.of(issue);

        assertThat(rerun.exitCode).as(rerun.toString()).isZero();
        assertThat(rerun.err).contains("Resuming the interrupted order");
        OutputFilesTest.assertCertificateAndKeyAgree(out);
        X509Certificate converged = CertificateFiles.leaf(out.resolve("cert.pem"), "test");
        assertThat(converged).isNotEqualTo(before);
        if (point.equals("after-switch")) {
            assertThat(converged).as("the same certificate downloaded again, not a second one").isEqualTo(afterKill);
        }
        assertThat(newOrdersSince(mark)).as("one order for the interrupted issuance and its rerun").isEqualTo(1);
        assertThat(out.resolve(".pending")).doesNotExist();
        assertThat(leftovers(out)).isEmpty();
        System.out.println("[kill point] " + point + ": files agreed after SIGKILL; rerun resumed the order (1 order)");
    }

    private static List<Path> leftovers(Path out) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(out)) {
            walk.filter(p -> DurableFiles.TEMPORARY.matcher(p.getFileName().toString()).matches()).forEach(found::add);
        }
        return found;
    }

    private static Path pebbleLog() {
        return pebble.server().workDirectory().resolve("pebble.log");
    }

    private static int newOrdersSince(long mark) throws IOException {
        try (InputStream in = Files.newInputStream(pebbleLog())) {
            in.skipNBytes(mark);
            Matcher m = NEW_ORDER.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            int count = 0;
            while (m.find()) {
                count++;
            }
            return count;
        }
    }
}
