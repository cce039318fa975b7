package dev.keyward.examples.cli;

import java.io.PrintStream;
import java.time.Duration;

/**
 * A hook for the process tests that kill the CLI with SIGKILL at a named point of writing
 * {@code --out}: when the environment variable {@value #VARIABLE} names the point reached, the CLI
 * prints {@code keyward-test-paused-at POINT} on stderr and waits (at most {@link #LONGEST}) for
 * the test to kill it. The points: {@code after-new-order}, {@code before-finalize},
 * {@code after-download}, {@code before-switch} (the new version is written, {@code current} not
 * yet switched) and {@code after-switch}. Unset, it does nothing.
 */
final class TestPause {
    static final String VARIABLE = "KEYWARD_TEST_PAUSE_AT";
    static final String MARKER = "keyward-test-paused-at ";
    private static final Duration LONGEST = Duration.ofMinutes(2);

    private TestPause() {
    }

    static void at(String point, PrintStream err) {
        if (!point.equals(System.getenv(VARIABLE))) {
            return;
        }
        err.println(MARKER + point);
        err.flush();
        try {
            Thread.sleep(LONGEST.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
