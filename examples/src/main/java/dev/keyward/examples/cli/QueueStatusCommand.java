package dev.keyward.examples.cli;

import dev.keyward.acme.jdbc.CsrQueue;
import dev.keyward.acme.jdbc.CsrState;
import java.util.Map;
import java.util.StringJoiner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code queue status}: one line per state with its count ({@code issued 5}), or one JSON object. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Print how many rows are in each state.")
final class QueueStatusCommand extends CliCommand {
    @Mixin
    QueueDatabase database;

    @Option(names = "--json", description = "print {\"pending\": N, \"in_flight\": N, \"issued\": N, \"failed\": N}")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (CsrQueue queue = database.open(null)) {
            Map<CsrState, Long> counts = queue.counts();
            if (json) {
                StringJoiner object = new StringJoiner(", ", "{", "}");
                counts.forEach((state, n) -> object.add("\"" + state.sqlName() + "\": " + n));
                out().println(object);
            } else {
                counts.forEach((state, n) -> out().println(state.sqlName() + " " + n));
            }
            return Keyward.OK;
        }
    }
}
