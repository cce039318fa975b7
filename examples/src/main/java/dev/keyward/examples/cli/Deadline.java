package dev.keyward.examples.cli;

import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeNetworkException;
import dev.keyward.acme.AcmeServerException;
import dev.keyward.acme.PollPolicy;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/**
 * The deadline of a whole command, and the step runner that rides out transient faults until it:
 * a step that fails for the network (or a 502, 503, 504) is run again after a growing pause, as
 * long as the deadline allows. Each step decides itself how to resume from the server's state.
 */
final class Deadline {
    private static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(4);

    private final Instant end;
    private final PrintStream log;

    Deadline(Duration timeout, PrintStream log) {
        this.end = Instant.now().plus(timeout);
        this.log = log;
    }

    /** One step of a command; {@code attempt} is 1 on the first run, so a retry can resume. */
    interface Step<T> {
        T run(int attempt) throws AcmeException, UsageException, InterruptedException;
    }

    <T> T run(String what, Step<T> step) throws AcmeException, UsageException, InterruptedException {
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1; ; attempt++) {
            try {
                return step.run(attempt);
            } catch (AcmeNetworkException | AcmeServerException e) {
                if (!isTransient(e) || Instant.now().plus(pause).isAfter(end)) {
                    throw e;
                }
                log.println("Retrying " + what + " after: " + oneLine(e.getMessage()));
                Thread.sleep(pause.toMillis());
                pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    /** A poll policy that gives up at this deadline. */
    PollPolicy pollPolicy() {
        Duration left = Duration.between(Instant.now(), end);
        return PollPolicy.builder().timeout(left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left).build();
    }

    private static boolean isTransient(AcmeException e) {
        if (e instanceof AcmeNetworkException) {
            return !isTlsRefusal(e);
        }
        int status = ((AcmeServerException) e).problem().status().orElse(0);
        return (status == 502 || status == 504 || (status == 503 && ((AcmeServerException) e).retryAfter().isEmpty()))
                && !((AcmeServerException) e).problem().type().toString().startsWith("urn:");
    }

    /** A TLS failure that repeating cannot mend (an untrusted certificate, a peer without TLS). */
    static boolean isTlsRefusal(Throwable e) {
        return e instanceof dev.keyward.acme.AcmeTlsException;
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("[\\r\\n]+", " ");
    }
}
