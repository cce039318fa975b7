package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Named local accounts ({@code --account NAME}): a folder per name under {@code --accounts-dir}
 * with the key and, once imported, the record that also remembers the CA; {@code account list}.
 */
class AccountNamesCliTest {
    @RegisterExtension
    static PebbleExtension pebble = new PebbleExtension();

    @TempDir
    Path dir;

    private List<String> named(String name, boolean withDirectory, String... rest) {
        PebbleServer server = pebble.server();
        List<String> all = new ArrayList<>(List.of("--trust", server.trustAnchorPemFile().toString(),
                "--accounts-dir", dir.resolve("accounts").toString()));
        if (withDirectory) {
            all.addAll(List.of("--directory", server.directoryUri().toString()));
        }
        if (name != null) {
            all.addAll(List.of("--account", name));
        }
        all.addAll(List.of(rest));
        return all;
    }

    private static CliRun ok(List<String> args) {
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.OK);
        return run;
    }

    private static CliRun usage(List<String> args) {
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.USAGE);
        assertThat(run.errorLines()).as(run.toString()).hasSize(1);
        return run;
    }

    @Test
    void anAccountImportedUnderANameIsUsedByThatNameAloneAndListed() throws Exception {
        PebbleServer server = pebble.server();
        Path key = dir.resolve("elsewhere.pem");
        String url = ok(List.of("--directory", server.directoryUri().toString(), "--trust",
                server.trustAnchorPemFile().toString(), "--account-key", key.toString(), "account", "register"))
                .outLines().get(0);
        Path passphrase = dir.resolve("passphrase");
        Files.writeString(passphrase, "a long enough passphrase\n");
        Path export = dir.resolve("export.json");
        ok(List.of("--directory", server.directoryUri().toString(), "--trust", server.trustAnchorPemFile().toString(),
                "--account-key", key.toString(), "account", "export", "--out", export.toString(), "--encrypt-key",
                "--passphrase-file", passphrase.toString()));

        CliRun imported = ok(named("prod", false, "account", "import", export.toString(), "--passphrase-file",
                passphrase.toString()));
        CliRun show = ok(named("prod", false, "account", "show"));
        CliRun list = ok(named(null, false, "account", "list"));

        Path folder = dir.resolve("accounts/prod");
        assertThat(imported.outLines().get(0)).isEqualTo(url);
        assertThat(Files.getPosixFilePermissions(folder.resolve("key.pem")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(folder.resolve("account.json"))).contains("\"name\":\"prod\"")
                .doesNotContain("PRIVATE KEY");
        assertThat(show.outLines().get(0)).isEqualTo(url);
        assertThat(list.outLines()).containsExactly("prod " + url + " " + server.directoryUri());
    }

    @Test
    void registeringUnderANameMakesItsKeyAndRecordInTheAccountsFolderAndExportsCarryTheName() throws Exception {
        String url = ok(named("web", true, "account", "register")).outLines().get(0);
        Path export = dir.resolve("web.json");

        ok(named("web", true, "account", "export", "--out", export.toString(), "--without-key"));
        CliRun list = ok(named(null, false, "account", "list"));
        CliRun show = ok(named("web", false, "account", "show"));

        assertThat(dir.resolve("accounts/web/key.pem")).exists();
        assertThat(Files.readString(export)).contains("\"name\":\"web\"", url);
        assertThat(list.outLines()).containsExactly("web " + url + " " + pebble.server().directoryUri());
        assertThat(show.outLines().get(0)).as("the record remembers the CA: no --directory needed").isEqualTo(url);
    }

    @Test
    void aNamedAccountAndAnEphemeralAccountAreAUsageError() {
        CliRun run = usage(named("web", true, "issue", "-d", "ephemeral.keyward.test", "--ephemeral-account",
                "--http01-port", "5002", "--out", dir.resolve("out").toString()));

        assertThat(run.errorLines().get(0)).contains("--account or --ephemeral-account, not both");
        assertThat(dir.resolve("accounts/web")).doesNotExist();
    }

    @Test
    void aBadNameOrANameWithAKeyIsAUsageErrorAndTouchesNothing() {
        CliRun traversal = usage(named("../etc", true, "account", "register"));
        CliRun both = usage(named("web", true, "--account-key", dir.resolve("k.pem").toString(), "account", "show"));
        CliRun importTaken;
        ok(named("taken", true, "account", "register"));
        importTaken = CliRun.of(named("taken", true, "account", "import", "--from-certbot", dir.toString()));

        assertThat(traversal.errorLines().get(0)).contains("--account NAME must be");
        assertThat(both.errorLines().get(0)).contains("not both");
        assertThat(importTaken.exitCode).as(importTaken.toString()).isEqualTo(Keyward.USAGE);
        assertThat(importTaken.errorLines().get(0)).contains("exists already");
        assertThat(dir.resolve("etc")).doesNotExist();
        assertThat(dir.resolve("k.pem")).doesNotExist();
    }

    @Test
    void anEmptyAccountsFolderListsNothing() {
        CliRun list = ok(named(null, false, "account", "list"));

        assertThat(list.out).isEmpty();
        assertThat(list.err).contains("No named accounts in");
    }
}
