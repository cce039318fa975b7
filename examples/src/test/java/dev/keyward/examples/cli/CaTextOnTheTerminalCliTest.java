package dev.keyward.examples.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CA whose problem document carries terminal escape sequences (ESC, BEL, NUL, C1) and a 1 MB
 * string, in its detail and in a subproblem's identifier (WireMock: Pebble cannot be made to send
 * this). Whatever the command, stderr holds no raw control character and stays short.
 */
class CaTextOnTheTerminalCliTest {
    /** Retitles the terminal, rings the bell, then a NUL, a C1 CSI and a fake success line. */
    private static final String HOSTILE = "\u001b]0;owned\u0007\u0000\u009b2J\rCertificate issued!";
    private static final String MEGABYTE = "A".repeat(1_000_000);

    private final WireMockServer ca = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        ca.start();
        String base = "http://127.0.0.1:" + ca.port();
        ca.stubFor(get(urlEqualTo("/dir")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"newNonce\":\"" + base + "/nonce\","
                        + "\"newAccount\":\"" + base + "/acct\",\"newOrder\":\"" + base + "/order\"}")));
        ca.stubFor(any(urlEqualTo("/nonce")).willReturn(aResponse().withStatus(200).withHeader("Replay-Nonce", "bm9uY2U")
                .withHeader("Cache-Control", "no-store")));
        String problem = "{\"type\":\"urn:ietf:params:acme:error:rejectedIdentifier\",\"status\":400,"
                + "\"detail\":\"" + json(HOSTILE + MEGABYTE) + "\",\"subproblems\":[{\"type\":"
                + "\"urn:ietf:params:acme:error:rejectedIdentifier\",\"detail\":\"" + json(HOSTILE) + "\","
                + "\"identifier\":{\"type\":\"dns\",\"value\":\"" + json(HOSTILE + MEGABYTE.substring(0, 5000)) + "\"}}]}";
        ca.stubFor(post(urlEqualTo("/acct")).willReturn(aResponse().withStatus(400).withHeader("Replay-Nonce", "bm9uY2Uy")
                .withHeader("Content-Type", "application/problem+json").withBody(problem)));
    }

    @AfterEach
    void stop() {
        ca.stop();
    }

    private static String json(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c < 0x20 || c == '"' || c == '\\' || (c >= 0x7f && c <= 0x9f)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private List<String> cli(String... rest) {
        List<String> all = new java.util.ArrayList<>(List.of("--directory", "http://127.0.0.1:" + ca.port() + "/dir",
                "--insecure-http", "--request-timeout", "5", "--timeout", "30",
                "--account-key", dir.resolve("account.pem").toString()));
        all.addAll(List.of(rest));
        return all;
    }

    private static void assertSafeAndBounded(CliRun run) {
        assertThat(run.exitCode).as(run.toString().substring(0, Math.min(2000, run.toString().length())))
                .isEqualTo(Keyward.CA_ERROR);
        String printed = run.err + run.out;
        assertThat(printed.chars().filter(c -> c != '\n' && (c < 0x20 || (c >= 0x7f && c <= 0x9f))).count())
                .as("raw control characters on the terminal").isZero();
        assertThat(printed.length()).as("what was printed, bounded").isLessThan(4000);
        // the carriage return shows as a space (the CLI's escaping) or as \r (acme-core's, for a
        // problem it quotes itself): either way it cannot move the cursor
        assertThat(run.err).containsPattern("\\\\u001b\\]0;owned\\\\u0007\\\\u0000\\\\u009b2J( |\\\\r)Certificate issued!")
                .containsPattern("\\.\\.\\. \\([0-9]+ (more )?characters\\)");
    }

    @Test
    void issuePrintsTheCasProblemEscapedAndCapped() {
        assertSafeAndBounded(CliRun.of(cli("issue", "-d", "hostile.keyward.test", "--http01-port", "1",
                "--out", dir.resolve("out").toString())));
    }

    @Test
    void accountRegisterPrintsTheCasProblemEscapedAndCapped() {
        assertSafeAndBounded(CliRun.of(cli("account", "register", "--contact", "mailto:ops@keyward.test")));
    }

    @Test
    void accountShowPrintsTheCasProblemEscapedAndCapped() throws Exception {
        KeyFiles.write(dir.resolve("account.pem"), KeyType.EC_P256.generate());
        assertSafeAndBounded(CliRun.of(cli("account", "show")));
    }
}
