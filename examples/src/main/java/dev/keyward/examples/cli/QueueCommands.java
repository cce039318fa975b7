package dev.keyward.examples.cli;

import picocli.CommandLine.Command;

/**
 * {@code queue submit|run|status|get}: the database-backed CSR queue of acme-jdbc
 * ({@link dev.keyward.acme.jdbc.CsrQueue}, {@link dev.keyward.acme.jdbc.QueueRunner}). An H2 URL
 * ({@code jdbc:h2:file:PATH}) needs nothing installed; {@code jdbc:postgresql://...} serves a fleet.
 */
@Command(name = "queue", mixinStandardHelpOptions = true,
        description = "Queue callers' CSRs in a database and issue them with workers.",
        subcommands = {QueueSubmitCommand.class, QueueRunCommand.class, QueueStatusCommand.class, QueueGetCommand.class})
final class QueueCommands extends CommandGroup {
}
