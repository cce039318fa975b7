package dev.keyward.examples.cli;

import dev.keyward.acme.jdbc.CsrQueue;
import dev.keyward.acme.jdbc.QueuedCsr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code queue get}: writes an issued row's {@code cert.pem} (the leaf) and {@code chain.pem} (leaf
 * and issuers); for a failed row prints the reason and the CA's problem document (exit 1); for a
 * row still pending or in flight says so (exit 1).
 */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Write a row's cert.pem and chain.pem, or print why it failed.")
final class QueueGetCommand extends CliCommand {
    private static final String END = "-----END CERTIFICATE-----";

    @Mixin
    QueueDatabase database;

    @Option(names = "--id", paramLabel = "ID", required = true, description = "the row's id, as submit printed it")
    long id;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "where cert.pem and chain.pem go")
    Path out;

    @Override
    public Integer call() throws Exception {
        QueuedCsr row;
        try (CsrQueue queue = database.open(null)) {
            row = queue.get(id).orElseThrow(() -> new UsageException("no row " + id + " in the queue"));
        }
        switch (row.state()) {
            case ISSUED:
                write(row.chainPem().orElseThrow());
                out().println(out.resolve("cert.pem"));
                out().println(out.resolve("chain.pem"));
                return Keyward.OK;
            case FAILED:
                err().println("keyward: row " + id + " failed after " + row.attempts() + " attempts: "
                        + ExitCodes.oneLine(row.failureReason().orElse("?")));
                row.problemJson().ifPresent(json -> out().println(ExitCodes.escapeWhole(json)));
                return Keyward.CA_ERROR;
            default:
                err().println("keyward: row " + id + " is " + row.state().sqlName() + " (attempts " + row.attempts()
                        + ", next attempt " + row.nextAttemptAt() + ")" + row.failureReason().map(r -> "; last: " + ExitCodes.oneLine(r)).orElse(""));
                return Keyward.CA_ERROR;
        }
    }

    private void write(String chain) throws ConfigException {
        int leafEnd = chain.indexOf(END);
        String leaf = chain.substring(0, leafEnd + END.length()) + "\n";
        try {
            Files.createDirectories(out);
            replace(out.resolve("cert.pem"), leaf);
            replace(out.resolve("chain.pem"), chain);
        } catch (IOException e) {
            throw new ConfigException("cannot write to " + out + ": " + e.getMessage(), e);
        }
    }

    private static void replace(Path file, String text) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), ".keyward-", ".tmp");
        Files.writeString(temp, text, StandardCharsets.US_ASCII);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
