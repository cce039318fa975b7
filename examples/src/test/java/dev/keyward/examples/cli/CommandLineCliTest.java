package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line itself, no CA needed: help, version, per-command options and exclusive groups. */
class CommandLineCliTest {
    @TempDir
    Path dir;

    @Test
    void versionPrintsTheProjectVersionAndExitsWithZero() {
        CliRun run = CliRun.of(List.of("--version"));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.OK);
        assertThat(run.outLines()).singleElement().asString().matches("keyward \\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void issueHelpDescribesTheIssueOptionsOnlyAndExitsWithZero() {
        CliRun run = CliRun.of(List.of("issue", "--help"));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.OK);
        assertThat(run.out).startsWith("Usage: keyward issue").contains("--http01-port=PORT").contains("--dns01-challtestsrv=URL")
                .contains("--tlsalpn01-port=PORT").contains("--challenge=TYPE").contains("--profile=NAME")
                .contains("--out=DIR").contains("--key-type=TYPE").contains("--directory=URL")
                .doesNotContain("--cert=FILE").doesNotContain("--new-key");
        assertThat(run.err).isEmpty();
    }

    @Test
    void anOptionOfAnotherCommandIsAUsageErrorOnOneLine() {
        CliRun bare = CliRun.of(List.of("revoke", "--out", "X", "--http01-port", "80"));
        CliRun withCert = CliRun.of(List.of("revoke", "--cert", dir.resolve("c.pem").toString(), "--out", "X",
                "--http01-port", "80"));

        assertThat(bare.exitCode).as(bare.toString()).isEqualTo(Keyward.USAGE);
        assertThat(bare.errorLines()).singleElement().asString().contains("--out").contains("--http01-port");
        assertThat(bare.err).contains("try 'keyward revoke --help'").doesNotContain("Usage:");
        assertThat(withCert.exitCode).as(withCert.toString()).isEqualTo(Keyward.USAGE);
        assertThat(withCert.errorLines()).singleElement().asString().contains("Unknown options").contains("--out");
    }

    @Test
    void http01AndDns01TogetherAreAUsageError() {
        CliRun run = CliRun.of(List.of("--directory", "https://127.0.0.1:1/dir", "issue", "-d", "x.keyward.test",
                "--http01-port", "5002", "--dns01-challtestsrv", "http://127.0.0.1:1", "--out", dir.toString()));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.USAGE);
        assertThat(run.errorLines()).singleElement().asString().contains("--http01-port").contains("--dns01-challtestsrv")
                .contains("mutually exclusive");
    }

    @Test
    void aGroupCommandWithoutItsSubcommandIsAUsageErrorNamingThem() {
        CliRun run = CliRun.of(List.of("account"));

        assertThat(run.exitCode).isEqualTo(Keyward.USAGE);
        assertThat(run.errorLines()).singleElement().asString().contains("register").contains("rollover");
    }

    @Test
    void verboseAddsTheStackTraceOfAFailure() {
        CliRun quiet = CliRun.of(List.of("--directory", "https://127.0.0.1:1/dir", "--timeout", "1", "account",
                "register"));
        CliRun verbose = CliRun.of(List.of("--directory", "https://127.0.0.1:1/dir", "--timeout", "1", "account",
                "register", "--verbose"));

        assertThat(quiet.exitCode).isEqualTo(Keyward.LOCAL_ERROR);
        assertThat(quiet.err).doesNotContain("\tat ");
        assertThat(verbose.exitCode).isEqualTo(Keyward.LOCAL_ERROR);
        assertThat(verbose.err).contains("\tat ").contains("AcmeNetworkException");
    }
}
