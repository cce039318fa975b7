package dev.keyward.examples.cli;

import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeNetworkException;
import dev.keyward.acme.AcmeProtocolException;
import dev.keyward.acme.AcmeServerException;
import dev.keyward.acme.AcmeSigningException;
import dev.keyward.acme.AcmeTimeoutException;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;

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

    static final String USAGE_TEXT = String.join("\n",
            "usage: keyward [--directory URL] [--trust FILE] [--account-key FILE] [--pebble] [--verbose]",
            "               [--timeout SECONDS] [--request-timeout SECONDS] [--insecure-http] COMMAND",
            "  account register [--contact mailto:ADDR]... [--eab-kid ID --eab-hmac-key B64URL]",
            "                                                    prints the account URL",
            "  account show | account deactivate | account orders",
            "  account rollover --new-key FILE",
            "  account contain [--revoke-certificates [--reason CODE]] (--rollover-to FILE | --deactivate)",
            "  issue -d NAME [-d NAME]... (--http01-port PORT | --dns01-challtestsrv URL)",
            "        [--key FILE] [--key-type ec-p256|ec-p384|rsa-2048] --out DIR",
            "        [--deactivate-authorizations] [--ephemeral-account] [--eab-kid ID --eab-hmac-key B64URL]",
            "  authz deactivate (--all-valid | URL...)",
            "  revoke --cert FILE [--reason CODE] [--cert-key FILE]",
            "  demo                                              start Pebble, issue a certificate, stop Pebble",
            "A key option (--account-key, --key, --new-key, --rollover-to, --cert-key) takes a PEM file, an RFC 7512",
            "PKCS#11 URI (pkcs11:token=...;object=...?module-path=...&pin-source=file:PATH) or kms:KEY-ID|ARN|alias/NAME.");

    private static final Set<String> VALUED = Set.of("--directory", "--trust", "--account-key", "--contact",
            "--domain", "--http01-port", "--dns01-challtestsrv", "--key", "--key-type", "--out", "--eab-kid",
            "--eab-hmac-key", "--new-key", "--rollover-to", "--reason", "--cert", "--cert-key", "--timeout",
            "--request-timeout");
    private static final Set<String> FLAGS = Set.of("--pebble", "--verbose", "--help", "--deactivate-authorizations",
            "--ephemeral-account", "--deactivate", "--revoke-certificates", "--all-valid", "--insecure-http");
    private static final Map<String, String> ALIASES = Map.of("-d", "--domain", "-h", "--help", "-v", "--verbose");

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
        boolean verbose = false;
        for (String a : argv) {
            verbose |= a.equals("--verbose") || a.equals("-v");
        }
        try {
            Args args = Args.parse(argv, VALUED, FLAGS, ALIASES);
            if (args.flag("--help")) {
                out.println(USAGE_TEXT);
                return OK;
            }
            return Commands.dispatch(args, out, err);
        } catch (UsageException e) {
            err.println("keyward: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        } catch (AcmeTimeoutException e) {
            return fail(err, verbose, e, LOCAL_ERROR, "the CA did not finish in time: " + e.getMessage());
        } catch (AcmeNetworkException e) {
            if (Deadline.isTlsRefusal(e)) {
                return fail(err, verbose, e, LOCAL_ERROR, "TLS with the CA failed (give its CA certificate with --trust?): "
                        + e.getMessage());
            }
            return fail(err, verbose, e, LOCAL_ERROR, "cannot reach the CA: " + e.getMessage());
        } catch (AcmeServerException e) {
            return fail(err, verbose, e, CA_ERROR, "the CA refused: " + e.problem());
        } catch (AcmeSigningException e) {
            return fail(err, verbose, e, LOCAL_ERROR, e.getMessage());
        } catch (AcmeException e) {
            return fail(err, verbose, e, CA_ERROR, e.getMessage());
        } catch (AcmeProtocolException e) {
            return fail(err, verbose, e, CA_ERROR, "the CA answered outside the protocol: " + e.getMessage());
        } catch (ConfigException e) {
            return fail(err, verbose, e, LOCAL_ERROR, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(err, verbose, e, LOCAL_ERROR, "interrupted");
        } catch (RuntimeException e) {
            return fail(err, verbose, e, LOCAL_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static int fail(PrintStream err, boolean verbose, Throwable e, int code, String message) {
        err.println("keyward: " + oneLine(message));
        if (verbose) {
            e.printStackTrace(err);
        }
        return code;
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("[\\r\\n]+", " ");
    }
}
