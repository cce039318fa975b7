package dev.keyward.examples.cli;

import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/**
 * Reports a command line picocli cannot parse (or a command refuses with a {@link ParameterException}):
 * one {@code keyward: ...} line and a hint naming the command's {@code --help}, exit code 2.
 */
final class UsageErrors implements IParameterExceptionHandler {
    private final PrintStream err;

    UsageErrors(PrintStream err) {
        this.err = err;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        report(err, e.getCommandLine(), e.getMessage());
        return Keyward.USAGE;
    }

    /** Prints a usage error of a command: the message on one line, then where to read more. */
    static void report(PrintStream err, CommandLine command, String message) {
        err.println("keyward: " + ExitCodes.oneLine(message));
        err.println("try '" + command.getCommandSpec().qualifiedName() + " --help'");
    }
}
