package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import dev.keyward.acme.testkit.SoftHsmToken;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An account whose key lives in a SoftHSM2 token is exported as the key's RFC 7512 URI, never with
 * its PIN, and imported by that reference, also under a local name.
 */
class AccountExportPkcs11CliTest {
    @RegisterExtension
    static PebbleExtension pebble = new PebbleExtension();

    private static SoftHsmToken token;
    private static String label;

    @TempDir
    Path dir;

    @BeforeAll
    static void createKey() {
        token = SoftHsmToken.primary();
        label = "export-" + UUID.randomUUID().toString().substring(0, 8);
        CliRun run = CliRun.of(List.of("key", "generate", uri() + "&pin-value=" + token.pinText(), "--type", "ec-p256"));
        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.OK);
    }

    private static String uri() {
        return "pkcs11:token=" + token.label() + ";object=" + label + "?module-path=" + token.library();
    }

    private static List<String> args(String... rest) {
        PebbleServer server = pebble.server();
        List<String> all = new ArrayList<>(List.of("--directory", server.directoryUri().toString(),
                "--trust", server.trustAnchorPemFile().toString()));
        all.addAll(List.of(rest));
        return all;
    }

    private static CliRun run(int exitCode, List<String> args) {
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode).as(run.toString()).isEqualTo(exitCode);
        return run;
    }

    @Test
    void aTokenKeyTravelsAsItsReferenceAndImportsByIt() throws Exception {
        Path pin = Files.writeString(dir.resolve("pin.txt"), token.pinText() + "\n", StandardCharsets.UTF_8);
        String key = uri() + "&pin-source=file:" + pin;
        String url = run(Keyward.OK, args("--account-key", key, "account", "register")).outLines().get(0);
        Path export = dir.resolve("token.json");

        run(Keyward.OK, args("--account-key", key, "account", "export", "--out", export.toString()));
        CliRun imported = run(Keyward.OK, args("account", "import", export.toString()));
        CliRun named = run(Keyward.OK, args("--accounts-dir", dir.resolve("accounts").toString(), "--account", "hsm",
                "account", "import", export.toString()));
        CliRun show = run(Keyward.OK, List.of("--trust", pebble.server().trustAnchorPemFile().toString(),
                "--accounts-dir", dir.resolve("accounts").toString(), "--account", "hsm", "account", "show"));

        assertThat(Files.readString(export)).contains("\"reference\":\"" + key + "\"").doesNotContain("PRIVATE KEY");
        assertThat(imported.outLines().get(0)).isEqualTo(url);
        assertThat(named.outLines().get(0)).isEqualTo(url);
        assertThat(dir.resolve("accounts/hsm/key.pem")).doesNotExist();
        assertThat(Files.readString(dir.resolve("accounts/hsm/account.json"))).contains(key);
        assertThat(show.outLines().get(0)).isEqualTo(url);
    }

    @Test
    void aTokenKeyIsNeverEncryptedNorExportedWithItsPin() throws Exception {
        String withPin = uri() + "&pin-value=" + token.pinText();
        Path out = dir.resolve("never.json");

        CliRun pinInside = run(Keyward.USAGE, args("--account-key", withPin, "account", "export", "--out",
                out.toString()));
        CliRun encrypt = run(Keyward.USAGE, args("--account-key", withPin, "account", "export", "--out",
                out.toString(), "--encrypt-key"));

        assertThat(pinInside.errorLines()).singleElement().asString().contains("pin-source");
        assertThat(pinInside.err).doesNotContain(token.pinText());
        assertThat(encrypt.errorLines()).singleElement().asString().contains("never leaves it");
        assertThat(out).doesNotExist();
    }
}
