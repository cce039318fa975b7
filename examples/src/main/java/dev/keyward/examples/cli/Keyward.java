package dev.keyward.examples.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
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
        KeywardCommand top = new KeywardCommand(out, err);
        CommandLine commandLine = new CommandLine(top)
                .setExpandAtFiles(false)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .setParameterExceptionHandler(new UsageErrors(err))
                .setExecutionExceptionHandler(new ExitCodes(err, top));
        try {
            return commandLine.execute(argv);
        } finally {
            out.flush();
            err.flush();
        }
    }
}
