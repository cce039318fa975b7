package dev.keyward.examples.cli;

import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

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
        List<String> unmatched = e.getCommandLine().getUnmatchedArguments();
        boolean unknownFirst = !(e instanceof UnmatchedArgumentException) && !unmatched.isEmpty();
        // picocli checks required options before it complains about unknown ones; an option the
        // command does not take is the likelier mistake, so it is named first.
        report(err, e.getCommandLine(), unknownFirst ? e.getCommandLine().getCommandSpec().qualifiedName()
                + " does not take: " + String.join(" ", unmatched) : e.getMessage());
        return Keyward.USAGE;
    }

    /** Prints a usage error of a command: the message on one line, then where to read more. */
    static void report(PrintStream err, CommandLine command, String message) {
        err.println("keyward: " + ExitCodes.oneLine(message));
        err.println("try '" + command.getCommandSpec().qualifiedName() + " --help'");
    }
}
