package dev.keyward.examples.cli;

import dev.keyward.acme.AcmeChallengeFailedException;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeNetworkException;
import dev.keyward.acme.AcmeProtocolException;
import dev.keyward.acme.AcmeServerException;
import dev.keyward.acme.AcmeSigningException;
import dev.keyward.acme.AcmeNoSolverException;
import dev.keyward.acme.AcmeSolverException;
import dev.keyward.acme.AcmeTimeoutException;
import dev.keyward.acme.AcmeTlsException;
import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Maps what a command throws to the exit code and one line on stderr (a stack trace too with
 * {@code --verbose}): 1 the CA refused or broke the protocol; 2 usage; 3 local I/O, configuration,
 * or the CA not reachable in time.
 */
final class ExitCodes implements IExecutionExceptionHandler {
    private final PrintStream err;
    private final KeywardCommand top;

    ExitCodes(PrintStream err, KeywardCommand top) {
        this.err = err;
        this.top = top;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
        if (e instanceof UsageException) {
            UsageErrors.report(err, command, e.getMessage());
            return Keyward.USAGE;
        }
        if (e instanceof AcmeNoSolverException) {
            // No solver of the chosen challenge can prove a name (http-01 and a wildcard): the
            // command line asked for the impossible.
            UsageErrors.report(err, command, e.getMessage() + "; choose the challenge with --http01-port or"
                    + " --dns01-challtestsrv");
            return Keyward.USAGE;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        err.println("keyward: " + oneLine(message(e)));
        if (top.global.verbose) {
            e.printStackTrace(err);
        }
        return code(e);
    }

    static int code(Exception e) {
        if (e instanceof AcmeTimeoutException || e instanceof AcmeNetworkException || e instanceof AcmeSigningException
                || e instanceof AcmeSolverException) {
            return Keyward.LOCAL_ERROR;
        }
        if (e instanceof AcmeException || e instanceof AcmeProtocolException) {
            return Keyward.CA_ERROR;
        }
        return Keyward.LOCAL_ERROR;
    }

    private static String message(Exception e) {
        if (e instanceof AcmeTimeoutException) {
            return "the CA did not finish in time: " + e.getMessage();
        }
        if (e instanceof AcmeTlsException) {
            return "TLS with the CA failed (give its CA certificate with --trust?): " + e.getMessage();
        }
        if (e instanceof AcmeNetworkException) {
            return "cannot reach the CA: " + e.getMessage();
        }
        if (e instanceof AcmeChallengeFailedException) {
            AcmeChallengeFailedException failed = (AcmeChallengeFailedException) e;
            return "the CA refused: its " + failed.challengeType() + " validation of " + failed.identifier().value()
                    + " failed: " + failed.problem();
        }
        if (e instanceof AcmeServerException) {
            return "the CA refused: " + ((AcmeServerException) e).problem();
        }
        if (e instanceof AcmeProtocolException) {
            return "the CA answered outside the protocol: " + e.getMessage();
        }
        if (e instanceof InterruptedException) {
            return "interrupted";
        }
        if (e instanceof AcmeException || e instanceof ConfigException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("[\\r\\n]+", " ");
    }
}
