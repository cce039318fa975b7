package dev.keyward.examples.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * The {@code keyward} command-line client: an example of the library that registers accounts and
 * issues certificates from any RFC 8555 CA, or from a local Pebble it starts itself.
 *
 * <p>Exit codes: 0 success; 1 the CA refused or answered outside the protocol; 2 usage error;
 * 3 local I/O or configuration error, or the CA could not be reached in time.
 */
public final class Keyward {
    static final int OK = 0;
    static final int CA_ERROR = 1;
    static final int USAGE = 2;
    static final int LOCAL_ERROR = 3;

    private Keyward() {
    }

    /**
     * Runs the client and exits with its code.
     *
     * @param argv the command line
     */
    public static void main(String[] argv) {
        System.exit(run(argv, System.out, System.err));
    }

    /**
     * Runs the client.
     *
     * @param argv the command line
     * @param out where results go
     * @param err where messages and errors go
     * @return the exit code
     */
    public static int run(String[] argv, PrintStream out, PrintStream err) {
        try {
            return commandLine(argv, out, err).execute(argv);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * The command line for {@code argv}: with only the subcommand it names when that parses (picocli
     * builds its model of a command by reflection, and the whole tree costs a short-lived process
     * about a tenth of a second), else with every subcommand (help, errors, no subcommand given).
     */
    static CommandLine commandLine(String[] argv, PrintStream out, PrintStream err) {
        String named = null;
        for (String arg : argv) {
            if (KeywardCommand.SUBCOMMANDS.containsKey(arg)) {
                named = arg;
                break;
            }
        }
        if (named != null) {
            CommandLine one = configured(new KeywardCommand(out, err), out, err, List.of(named));
            try {
                one.parseArgs(argv);
                return one; // execute() parses again, from the options' initial values
            } catch (CommandLine.ParameterException notThisWay) {
                // The name was an option's value, or the line is wrong: the whole tree decides and says why.
            }
        }
        return configured(new KeywardCommand(out, err), out, err, KeywardCommand.SUBCOMMANDS.keySet());
    }

    private static CommandLine configured(KeywardCommand top, PrintStream out, PrintStream err,
                                          java.util.Collection<String> subcommands) {
        CommandLine commandLine = new CommandLine(top);
        for (String name : subcommands) {
            commandLine.addSubcommand(name, KeywardCommand.SUBCOMMANDS.get(name));
        }
        return commandLine
                .setExpandAtFiles(false)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .setParameterExceptionHandler(new UsageErrors(err))
                .setExecutionExceptionHandler(new ExitCodes(err, top));
    }
}
