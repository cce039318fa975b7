package dev.keyward.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.keyward.acme.AcmeClient;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ca info [--json]}: what the CA's directory offers, one line per capability. */
@Command(name = "ca", mixinStandardHelpOptions = true, description = "Ask the CA about itself.",
        subcommands = CaCommands.Info.class)
final class CaCommands extends CommandGroup {

    /**
     * Prints the directory's capabilities ({@code Directory.capabilities()}): one
     * {@code name: value} line each (yes/no, none when absent, lists comma-separated, profiles as
     * {@code name (description)}), or with {@code --json} one JSON object. Text from the CA is
     * escaped: control characters become {@code \\uXXXX}.
     */
    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Print what the CA offers: resources, profiles, terms, external account binding.")
    static final class Info extends CliCommand {
        @Option(names = "--json", description = "print one JSON object instead of lines")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (Environment env = Environment.open(global(), err()); AcmeClient client = env.client()) {
                Map<String, Object> capabilities = client.fetchDirectory().capabilities();
                if (json) {
                    out().println(toJson(capabilities));
                } else {
                    capabilities.forEach((name, value) -> out().println(name + ": " + text(value)));
                }
                return Keyward.OK;
            }
        }

        static String toJson(Map<String, Object> capabilities) throws JsonProcessingException {
            // Jackson escapes C0 controls; escape() adds DEL, C1, separators and bidi overrides, which
            // can only stand inside JSON strings, as \\u escapes: still valid JSON, on one line.
            return ExitCodes.escapeWhole(new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(capabilities));
        }

        static String text(Object value) {
            if (value == null) {
                return "none";
            }
            if (value instanceof Boolean) {
                return (Boolean) value ? "yes" : "no";
            }
            if (value instanceof Map) {
                Map<?, ?> map = (Map<?, ?>) value;
                if (map.isEmpty()) {
                    return "none";
                }
                return map.entrySet().stream().map(e -> ExitCodes.oneLine(String.valueOf(e.getKey()))
                        + (e.getValue() instanceof String ? " (" + ExitCodes.oneLine((String) e.getValue()) + ")"
                        : " (" + compact(e.getValue()) + ")")).collect(Collectors.joining(", "));
            }
            if (value instanceof Collection) {
                Collection<?> list = (Collection<?>) value;
                return list.isEmpty() ? "none" : list.stream().map(v -> ExitCodes.oneLine(String.valueOf(v)))
                        .collect(Collectors.joining(", "));
            }
            return ExitCodes.oneLine(String.valueOf(value));
        }

        private static String compact(Object value) {
            try {
                return ExitCodes.oneLine(new ObjectMapper().writeValueAsString(value));
            } catch (JsonProcessingException e) {
                return ExitCodes.oneLine(String.valueOf(value));
            }
        }
    }
}
