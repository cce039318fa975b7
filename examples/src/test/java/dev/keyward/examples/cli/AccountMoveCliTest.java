package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accounts that move: made by the real certbot and lego (Debian's, installed by
 * {@code scripts/ensure-tools.sh certbot lego}) against Pebble, or exported by Keyward, then
 * imported by Keyward and used to issue. Pebble's log counts the accounts it holds, which proves
 * that no import and no issuance after it created one.
 */
class AccountMoveCliTest {
    @RegisterExtension
    static PebbleExtension pebble = new PebbleExtension();

    private static final Pattern ACCOUNTS_IN_PEBBLE = Pattern.compile("There are now (\\d+) accounts in memory");

    @TempDir
    Path dir;

    private static List<String> with(String accountKey, String... rest) {
        PebbleServer server = pebble.server();
        List<String> all = new ArrayList<>(List.of("--directory", server.directoryUri().toString(),
                "--trust", server.trustAnchorPemFile().toString()));
        if (accountKey != null) {
            all.addAll(List.of("--account-key", accountKey));
        }
        all.addAll(List.of(rest));
        return all;
    }

    private static CliRun ok(List<String> args) {
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.OK);
        return run;
    }

    private static CliRun fails(int exitCode, List<String> args) {
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode).as(run.toString()).isEqualTo(exitCode);
        assertThat(run.errorLines()).as(run.toString()).hasSize(1);
        return run;
    }

    private static String name(String label) {
        return label + "-" + UUID.randomUUID().toString().substring(0, 8) + ".keyward.test";
    }

    /** The number of accounts Pebble holds, from the last line of its log that says so. */
    private static int accountsInPebble() throws IOException {
        Matcher m = ACCOUNTS_IN_PEBBLE.matcher(Files.readString(pebble.server().workDirectory().resolve("pebble.log")));
        int accounts = 0;
        while (m.find()) {
            accounts = Integer.parseInt(m.group(1));
        }
        return accounts;
    }

    private void issueWith(Path key) {
        ok(with(key.toString(), "issue", "-d", name("moved"), "--http01-port",
                String.valueOf(pebble.server().http01Port()), "--out", dir.resolve("out-" + UUID.randomUUID()).toString()));
    }

    /** Runs one of the real clients; a missing program fails the test with the script that installs it. */
    private static String runTool(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError(command.get(0) + " is not installed: run scripts/ensure-tools.sh certbot lego", e);
        }
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).as(command.get(0) + " finished").isTrue();
        return "exit " + process.exitValue() + "\n" + new String(output, StandardCharsets.UTF_8);
    }

    private Path certbotRegister(String label) throws Exception {
        Path root = dir.resolve("certbot-" + label);
        String output = runTool(List.of("certbot", "register", "--server", pebble.server().directoryUri().toString(),
                "--config-dir", root.resolve("config").toString(), "--work-dir", root.resolve("work").toString(),
                "--logs-dir", root.resolve("logs").toString(), "--agree-tos", "-m", "x@example.org",
                "--no-eff-email", "--non-interactive"),
                Map.of("REQUESTS_CA_BUNDLE", pebble.server().trustAnchorPemFile().toString()));
        assertThat(output).as(output).startsWith("exit 0").contains("Account registered");
        return root.resolve("config");
    }

    /** The folder of certbot's one account under a config folder. */
    private static Path certbotAccountFolder(Path config) throws IOException {
        try (Stream<Path> files = Files.walk(config.resolve("accounts"))) {
            return files.filter(p -> p.getFileName().toString().equals("regr.json")).findFirst().orElseThrow().getParent();
        }
    }

    private static String accountUrlIn(Path jsonFile) throws IOException {
        Matcher m = Pattern.compile("\"uri\"\\s*:\\s*\"([^\"]+)\"").matcher(Files.readString(jsonFile));
        assertThat(m.find()).as(jsonFile + " names the account URL").isTrue();
        return m.group(1);
    }

    private Path exported(Path key, String... options) throws Exception {
        Path passphrase = dir.resolve("passphrase-" + UUID.randomUUID());
        Files.writeString(passphrase, "a long enough passphrase\n");
        Path file = dir.resolve("export-" + UUID.randomUUID() + ".json");
        List<String> args = with(key.toString(), "account", "export", "--out", file.toString());
        args.addAll(List.of(options));
        if (List.of(options).contains("--encrypt-key")) {
            args.addAll(List.of("--passphrase-file", passphrase.toString()));
        }
        ok(args);
        return file;
    }

    @Test
    void anAccountOfCertbotIsImportedAndIssuesWithoutANewAccount() throws Exception {
        Path config = certbotRegister("one");
        String url = accountUrlIn(certbotAccountFolder(config).resolve("regr.json"));
        int accounts = accountsInPebble();
        assertThat(accounts).as("Pebble logged certbot's account").isPositive();
        Path key = dir.resolve("from-certbot.pem");

        // No --directory: certbot's folder names give it.
        CliRun imported = ok(List.of("--trust", pebble.server().trustAnchorPemFile().toString(), "--account-key",
                key.toString(), "account", "import", "--from-certbot", config.toString()));
        CliRun show = ok(with(key.toString(), "account", "show"));
        issueWith(key);

        assertThat(imported.outLines().get(0)).isEqualTo(url);
        assertThat(show.outLines().get(0)).isEqualTo(url);
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(accountsInPebble()).isEqualTo(accounts);
    }

    @Test
    void anAccountOfLegoIsImportedAndIssuesWithoutANewAccount() throws Exception {
        Path lego = dir.resolve("lego");
        String output = runTool(List.of("lego", "--server", pebble.server().directoryUri().toString(),
                "--email", "x@example.org", "--accept-tos", "--path", lego.toString(), "--domains", name("lego"),
                "--http", "--http.port", "127.0.0.1:" + pebble.server().http01Port(), "run"),
                Map.of("LEGO_CA_CERTIFICATES", pebble.server().trustAnchorPemFile().toString()));
        assertThat(output).as(output).startsWith("exit 0");
        Path accountFile;
        try (Stream<Path> files = Files.walk(lego.resolve("accounts"))) {
            accountFile = files.filter(p -> p.getFileName().toString().equals("account.json")).findFirst().orElseThrow();
        }
        String url = accountUrlIn(accountFile);
        int accounts = accountsInPebble();
        assertThat(accounts).as("Pebble logged lego's account").isPositive();
        Path key = dir.resolve("from-lego.pem");

        CliRun imported = ok(with(key.toString(), "account", "import", "--from-lego", lego.toString()));
        CliRun show = ok(with(key.toString(), "account", "show"));
        issueWith(key);

        assertThat(imported.outLines().get(0)).isEqualTo(url);
        assertThat(show.outLines().get(0)).isEqualTo(url);
        assertThat(show.out).contains("contacts: mailto:x@example.org");
        assertThat(accountsInPebble()).isEqualTo(accounts);
    }

    @Test
    void severalCertbotAccountsAreToldApartByTheirId() throws Exception {
        Path config = certbotRegister("first");
        Path other = certbotAccountFolder(certbotRegister("second"));
        Path copied = certbotAccountFolder(config).resolveSibling(other.getFileName());
        Files.createDirectories(copied);
        try (Stream<Path> files = Files.list(other)) {
            for (Path f : files.toList()) {
                Files.copy(f, copied.resolve(f.getFileName()));
            }
        }
        Path key = dir.resolve("chosen.pem");

        CliRun ambiguous = fails(Keyward.USAGE, with(key.toString(), "account", "import", "--from-certbot",
                config.toString()));
        CliRun chosen = ok(with(key.toString(), "account", "import", "--from-certbot", config.toString(),
                "--account-id", other.getFileName().toString()));

        assertThat(ambiguous.errorLines().get(0)).contains("several certbot accounts match")
                .contains(other.getFileName().toString());
        assertThat(chosen.outLines().get(0)).isEqualTo(accountUrlIn(other.resolve("regr.json")));
    }

    @Test
    void anEncryptedExportMovesTheAccountToANewKeyFile() throws Exception {
        Path oldKey = dir.resolve("old.pem");
        String url = ok(with(oldKey.toString(), "account", "register", "--contact", "mailto:ops@keyward.test"))
                .outLines().get(0);
        Path export = exported(oldKey, "--encrypt-key", "--name", "prod");
        int accounts = accountsInPebble();
        Path newKey = dir.resolve("moved/new.pem");
        Path passphrase = dir.resolve("typed");
        Files.writeString(passphrase, "a long enough passphrase\n");

        CliRun imported = ok(with(newKey.toString(), "account", "import", export.toString(),
                "--passphrase-file", passphrase.toString()));
        issueWith(newKey);

        String json = Files.readString(export);
        assertThat(Files.getPosixFilePermissions(export)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(json).contains("\"account\":\"" + url + "\"", "\"name\":\"prod\"", "mailto:ops@keyward.test",
                "ENCRYPTED PRIVATE KEY").doesNotContain("BEGIN PRIVATE KEY").doesNotContain("\"d\"");
        assertThat(imported.outLines().get(0)).isEqualTo(url);
        assertThat(imported.err).contains("prod").doesNotContain("a long enough passphrase");
        assertThat(KeyFiles.read(newKey).getPublic()).isEqualTo(KeyFiles.read(oldKey).getPublic());
        assertThat(ok(with(newKey.toString(), "account", "show")).outLines().get(0)).isEqualTo(url);
        assertThat(accountsInPebble()).isEqualTo(accounts);
    }

    @Test
    void anExportWithoutTheKeyNeedsTheAccountsOwnKeyToImport() throws Exception {
        Path key = dir.resolve("kept.pem");
        Path stranger = dir.resolve("stranger.pem");
        String url = ok(with(key.toString(), "account", "register")).outLines().get(0);
        ok(with(stranger.toString(), "account", "register"));
        Path export = exported(key, "--without-key");

        CliRun withItsKey = ok(with(key.toString(), "account", "import", export.toString()));
        CliRun withAnother = fails(Keyward.USAGE, with(stranger.toString(), "account", "import", export.toString()));
        CliRun withNone = fails(Keyward.USAGE, with(null, "account", "import", export.toString()));

        assertThat(Files.readString(export)).doesNotContain("PRIVATE KEY");
        assertThat(withItsKey.outLines().get(0)).isEqualTo(url);
        assertThat(withAnother.errorLines().get(0)).contains("is not the key of the exported account");
        assertThat(withNone.errorLines().get(0)).contains("--account-key");
    }

    @Test
    void aKeyFileIsNeverExportedInClearAndAnExistingFileIsNeverOverwritten() throws Exception {
        Path key = dir.resolve("acct.pem");
        ok(with(key.toString(), "account", "register"));
        Path out = dir.resolve("export.json");
        Path existing = dir.resolve("existing.json");
        Files.writeString(existing, "keep me");

        CliRun clear = fails(Keyward.USAGE, with(key.toString(), "account", "export", "--out", out.toString()));
        CliRun over = fails(Keyward.USAGE, with(key.toString(), "account", "export", "--out", existing.toString(),
                "--without-key"));
        CliRun noTerminal = fails(Keyward.USAGE, with(key.toString(), "account", "export", "--out", out.toString(),
                "--encrypt-key"));

        assertThat(clear.errorLines().get(0)).contains("never exported in clear", "--encrypt-key", "--without-key");
        assertThat(over.errorLines().get(0)).contains("exists already");
        assertThat(noTerminal.errorLines().get(0)).contains("--passphrase-file");
        assertThat(out).doesNotExist();
        assertThat(Files.readString(existing)).isEqualTo("keep me");
    }

    @Test
    void anImportNeverOverwritesAKeyAndAWrongPassphraseWritesNothing() throws Exception {
        Path key = dir.resolve("acct.pem");
        ok(with(key.toString(), "account", "register"));
        Path export = exported(key, "--encrypt-key");
        byte[] keyBytes = Files.readAllBytes(key);
        Path wrong = dir.resolve("wrong");
        Files.writeString(wrong, "not the passphrase\n");
        Path target = dir.resolve("target.pem");

        CliRun overKey = fails(Keyward.USAGE, with(key.toString(), "account", "import", export.toString(),
                "--passphrase-file", wrong.toString()));
        CliRun wrongPassphrase = fails(Keyward.USAGE, with(target.toString(), "account", "import", export.toString(),
                "--passphrase-file", wrong.toString()));

        assertThat(overKey.errorLines().get(0)).contains("exists already; not overwriting it");
        assertThat(Files.readAllBytes(key)).isEqualTo(keyBytes);
        assertThat(wrongPassphrase.errorLines().get(0)).contains("passphrase does not open")
                .doesNotContain("not the passphrase");
        assertThat(target).doesNotExist();
    }

    @Test
    void anExportWhoseAccountTheCaDoesNotMatchIsRefusedAndWritesNothing() throws Exception {
        Path key = dir.resolve("acct.pem");
        String url = ok(with(key.toString(), "account", "register")).outLines().get(0);
        Path export = exported(key, "--encrypt-key");
        Path tampered = dir.resolve("tampered.json");
        Files.writeString(tampered, Files.readString(export).replace(url, url + "0"));
        Path passphrase = dir.resolve("p");
        Files.writeString(passphrase, "a long enough passphrase\n");
        Path target = dir.resolve("target.pem");

        CliRun run = fails(Keyward.CA_ERROR, with(target.toString(), "account", "import", tampered.toString(),
                "--passphrase-file", passphrase.toString()));
        CliRun malformed = fails(Keyward.USAGE, with(target.toString(), "account", "import", passphrase.toString()));
        CliRun otherCa = fails(Keyward.USAGE, List.of("--directory", "https://ca.invalid/dir", "--account-key",
                target.toString(), "account", "import", export.toString(), "--passphrase-file", passphrase.toString()));

        assertThat(run.errorLines().get(0)).contains("the CA knows this key as the account " + url)
                .contains("nothing was written");
        assertThat(malformed.errorLines().get(0)).contains("not valid JSON");
        assertThat(otherCa.errorLines().get(0)).contains("the export is of an account at");
        assertThat(target).doesNotExist();
    }

    @Test
    void thePassphraseCanComeFromTheEnvironmentAndIsNeverPrinted() throws Exception {
        Path key = dir.resolve("acct.pem");
        String url = ok(with(key.toString(), "account", "register")).outLines().get(0);
        Path export = dir.resolve("from-env.json");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Keyward.class.getName()));
        command.addAll(with(key.toString(), "account", "export", "--out", export.toString(), "--encrypt-key",
                "--passphrase-env", "KEYWARD_TEST_PASSPHRASE"));

        String output = runTool(command, Map.of("KEYWARD_TEST_PASSPHRASE", "from the environment"));

        assertThat(output).as(output).startsWith("exit 0").contains(url).doesNotContain("from the environment");
        assertThat(dev.keyward.acme.AccountExport.read(export).decryptKey("from the environment".toCharArray())
                .getPublic()).isEqualTo(KeyFiles.read(key).getPublic());
    }

    @Test
    void legoNeedsTheDirectoryItDoesNotRecord() throws Exception {
        CliRun run = fails(Keyward.USAGE, List.of("--account-key", dir.resolve("k.pem").toString(), "account", "import",
                "--from-lego", dir.toString()));

        assertThat(run.errorLines().get(0)).contains("give --directory");
    }
}
