package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config file that cannot be used: exit 2 and one line on stderr naming the key and the problem,
 * before any request (these tests have no CA at all: the directory URL leads nowhere).
 */
class RenewConfigErrorsCliTest {
    @TempDir
    Path dir;

    private String valid(String certificateExtra) {
        return "directory: https://127.0.0.1:9/dir\n"
                + "account-key: " + dir.resolve("account.pem") + "\n"
                + "certificates:\n"
                + "  - name: web\n"
                + "    domains: [a.example]\n"
                + "    out: " + dir.resolve("web") + "\n"
                + certificateExtra;
    }

    private CliRun run(String command, String text) throws Exception {
        Path file = dir.resolve("keyward.yaml");
        Files.writeString(file, text);
        return CliRun.of(List.of(command, "--config", file.toString()));
    }

    private static void refused(CliRun run, String line) {
        assertThat(run.exitCode).as(run.toString()).isEqualTo(2);
        assertThat(run.err.lines().toList()).as(run.toString()).containsExactly(line);
        assertThat(run.out).isEmpty();
    }

    @Test
    void anUnknownKeyIsNamedWithItsPlace() throws Exception {
        refused(run("renew", valid("    http01-port: 5002\n    http01_port: 5002\n")),
                "keyward: certificates[0].http01_port: unknown key");
        refused(run("run", "directory: https://127.0.0.1:9/dir\nrenew-before: 30d\n"),
                "keyward: renew-before: unknown key");
    }

    @Test
    void missingDomainsAreNamed() throws Exception {
        refused(run("renew", "directory: https://127.0.0.1:9/dir\ncertificates:\n  - name: web\n    out: "
                + dir.resolve("web") + "\n    http01-port: 5002\n"),
                "keyward: certificates[0].domains: is missing (a list of names to certify)");
    }

    @Test
    void aPortThatIsNotANumberIsNamed() throws Exception {
        refused(run("renew", valid("    http01-port: eighty\n")),
                "keyward: certificates[0].http01-port: not a port number: eighty");
        refused(run("renew", valid("    tlsalpn01-port: 70000\n")),
                "keyward: certificates[0].tlsalpn01-port: a port is 1 to 65535, not 70000");
    }

    @Test
    void anUnreadableFileIsNamed() throws Exception {
        Path missing = dir.resolve("nowhere.yaml");
        CliRun run = CliRun.of(List.of("renew", "--config", missing.toString()));
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err.lines().toList()).containsExactly(
                "keyward: --config " + missing + ": cannot read the file (no such file or directory)");

        Path folder = Files.createDirectories(dir.resolve("folder.yaml"));
        CliRun directory = CliRun.of(List.of("renew", "--config", folder.toString()));
        assertThat(directory.exitCode).isEqualTo(2);
        assertThat(directory.err.lines().toList()).singleElement().asString()
                .startsWith("keyward: --config " + folder + ": cannot read the file (");

        refused(run("renew", valid("    http01-port: 5002\n").replace("account-key:",
                "trust: [" + dir.resolve("missing-ca.pem") + "]\naccount-key:")),
                "keyward: trust[0]: cannot read trusted certificates from " + dir.resolve("missing-ca.pem")
                        + ": no such file or directory");
    }

    @Test
    void brokenYamlAndAWrongShapeAreNamed() throws Exception {
        CliRun broken = run("renew", "directory: [unclosed\n");
        assertThat(broken.exitCode).isEqualTo(2);
        assertThat(broken.err.lines().toList()).singleElement().asString()
                .startsWith("keyward: --config " + dir.resolve("keyward.yaml") + ": not valid YAML: ");
        refused(run("renew", valid("    http01-port: 5002\n").replace("domains: [a.example]", "domains: {a: b}")),
                "keyward: certificates[0].domains: must be a list of strings");
        refused(run("renew", valid("    http01-port: 5002\n").replace("name: web", "name: Web Site")),
                "keyward: certificates[0].name: Web Site is not lower-case letters, digits, '.', '_' and '-'"
                        + " (at most 63, starting with a letter or digit)");
        refused(run("renew", valid("")),
                "keyward: certificates[0].http01-port: is missing (or give tlsalpn01-port or dns01-challtestsrv)");
        refused(run("renew", valid("    http01-port: 5002\n").replace("directory: https:", "directory: http:")),
                "keyward: directory: is not https; add insecure-http: true only for a local test CA");
    }
}
