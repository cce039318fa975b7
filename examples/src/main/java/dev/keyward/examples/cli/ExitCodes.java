package dev.keyward.examples.cli;

import dev.keyward.acme.AcmeChallengeFailedException;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeInvalidProfileException;
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
        if (e instanceof ConfigFileException) {
            err.println("keyward: " + oneLine(e.getMessage()));
            return Keyward.USAGE;
        }
        if (e instanceof UsageException) {
            UsageErrors.report(err, command, e.getMessage());
            return Keyward.USAGE;
        }
        if (e instanceof AcmeNoSolverException) {
            // The CA offers no challenge the chosen solvers answer for a name (http-01 and a
            // wildcard): that is the CA's offer, not a malformed command line, so exit 1 and name
            // the offered types (the message does).
            err.println("keyward: " + oneLine(e.getMessage()) + "; choose another challenge with --challenge TYPE,"
                    + " --http01-port, --tlsalpn01-port or --dns01-challtestsrv");
            return Keyward.CA_ERROR;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        err.println("keyward: " + oneLine(message(e, command)));
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

    private static String message(Exception e, CommandLine command) {
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
        if (e instanceof AcmeInvalidProfileException && !((AcmeInvalidProfileException) e).offered().isEmpty()) {
            return "the CA offers no profile " + IssueCommand.profileOf(command) + "; it offers: "
                    + String.join(", ", ((AcmeInvalidProfileException) e).offered());
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
        return "an unexpected error" + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** The longest text {@link #escape} prints of one value from the CA or a file. */
    static final int MAX_VALUE = 300;
    /** The longest message {@link #oneLine} prints (a message may quote several values). */
    static final int MAX_MESSAGE = 1000;

    /** The message on one line: line breaks become a space, other control characters are escaped, at most {@value #MAX_MESSAGE} characters. */
    static String oneLine(String message) {
        return message == null ? "" : escape(message.replaceAll("[\\r\\n]+", " "), MAX_MESSAGE);
    }

    /**
     * Text from the CA or a file made safe for a terminal line: control characters (C0 with NUL,
     * BEL and ESC, DEL, C1), line and paragraph separators and bidirectional overrides become
     * {@code \\uXXXX}; text past {@value #MAX_VALUE} characters is cut, with
     * {@code " ... (N more characters)"}. Everything the CLI prints that the CA sent goes through here.
     */
    static String escape(String text) {
        return escape(text, MAX_VALUE);
    }

    /** As {@link #escape}, without a cap: for machine-readable output (JSON) that must stay whole. */
    static String escapeWhole(String text) {
        return escape(text, Integer.MAX_VALUE);
    }

    private static String escape(String text, int max) {
        if (text == null) {
            return "";
        }
        int shown = Math.min(text.length(), max);
        StringBuilder out = new StringBuilder(shown + 40);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            boolean unsafe = Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                    || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
            if (unsafe) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > max) {
            out.append(" ... (").append(text.length() - max).append(" more characters)");
        }
        return out.toString();
    }
}
