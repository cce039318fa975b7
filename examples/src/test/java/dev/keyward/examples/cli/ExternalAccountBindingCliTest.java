package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code --eab-kid}/{@code --eab-hmac-key} against a Pebble that requires External Account Binding. */
class ExternalAccountBindingCliTest {
    private static final String KID = "kid-1";
    private static final String MAC_KEY = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";

    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder()
            .server(PebbleServer.builder().externalAccountBinding(Map.of(KID, MAC_KEY))).build();

    @TempDir
    Path dir;

    private static List<String> with(String... rest) {
        List<String> all = new ArrayList<>(List.of("--directory", pebble.server().directoryUri().toString(),
                "--trust", pebble.server().trustAnchorPemFile().toString()));
        all.addAll(List.of(rest));
        return all;
    }

    @Test
    void registrationWithoutBindingIsRefusedWithTheProblem() {
        CliRun run = CliRun.of(with("account", "register"));

        assertThat(run.exitCode).isEqualTo(Keyward.CA_ERROR);
        assertThat(run.errorLines()).singleElement().asString().contains("externalAccountRequired");
    }

    @Test
    void registrationAndIssuanceWithTheBindingSucceed() {
        CliRun register = CliRun.of(with("account", "register", "--eab-kid", KID, "--eab-hmac-key", MAC_KEY));
        CliRun issue = CliRun.of(with("issue", "-d", "eab.keyward.test", "--eab-kid", KID, "--eab-hmac-key", MAC_KEY,
                "--http01-port", String.valueOf(pebble.server().http01Port()), "--out", dir.toString()));

        assertThat(register.exitCode).as(register.toString()).isEqualTo(Keyward.OK);
        assertThat(issue.exitCode).as(issue.toString()).isEqualTo(Keyward.OK);
        assertThat(dir.resolve("chain.pem")).exists();
        assertThat(register.err + issue.err).doesNotContain(MAC_KEY);
    }

    @Test
    void aWrongMacKeyIsRefusedAndHalfABindingIsAUsageError() {
        CliRun wrong = CliRun.of(with("account", "register", "--eab-kid", KID, "--eab-hmac-key",
                "b10lLJs8l1GPIzsLP0s6pMt8O0XVGnfTaCeROxQM0BIt2XrJMDHJZBM5NuQmQJQH"));
        CliRun half = CliRun.of(with("account", "register", "--eab-kid", KID));

        assertThat(wrong.exitCode).isEqualTo(Keyward.CA_ERROR);
        assertThat(wrong.errorLines()).singleElement().asString().contains("unauthorized");
        assertThat(half.exitCode).isEqualTo(Keyward.USAGE);
    }
}
