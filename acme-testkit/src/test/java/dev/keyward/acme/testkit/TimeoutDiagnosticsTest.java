package dev.keyward.acme.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A test that waited too long explains itself: {@link TimeoutDiagnostics} prints a full thread dump
 * and the CA's state when, and only when, a test fails with a timeout, and the failure stands.
 * Fixture classes run through JUnit's own engine.
 */
class TimeoutDiagnosticsTest {
    @Test
    void aTestThatHitsItsTimeoutAnnotationPrintsEveryThreadsWholeStackAndFailsAsBefore() {
        String printed = stderrOf(() -> EngineTestKit.engine("junit-jupiter").selectors(selectClass(SleepsPastTimeout.class))
                .execute().testEvents().assertStatistics(stats -> stats.failed(1)));

        assertThat(printed).contains("===== sleepsTooLong() timed out", "===== thread dump")
                .contains("\"stuck-worker\"", "TimeoutDiagnosticsTest$SleepsPastTimeout.waitForever")
                .contains("no deadlock detected")
                .contains("no Pebble of the test kit runs for this test");
    }

    @Test
    void anAssertTimeoutPreemptivelyFailureAndALibraryTimeoutArePrintedToo() {
        String printed = stderrOf(() -> EngineTestKit.engine("junit-jupiter").selectors(selectClass(OtherTimeouts.class))
                .execute().testEvents().assertStatistics(stats -> stats.failed(2)));

        assertThat(printed).contains("===== preemptively() timed out", "===== libraryTimeout() timed out");
    }

    @Test
    void aTestThatFailsForAnotherReasonPrintsNothing() {
        String printed = stderrOf(() -> EngineTestKit.engine("junit-jupiter").selectors(selectClass(FailsPlainly.class))
                .execute().testEvents().assertStatistics(stats -> stats.failed(1)));

        assertThat(printed).doesNotContain("=====");
    }

    @Test
    void underThePebbleExtensionATimeoutAlsoPrintsWhetherPebbleAnswersAndTheTailOfItsLogs() {
        String printed = stderrOf(() -> EngineTestKit.engine("junit-jupiter").selectors(selectClass(WithPebble.class))
                .execute().testEvents().assertStatistics(stats -> stats.failed(1)));

        assertThat(printed).contains("===== waitsOnTheCa() timed out", "===== thread dump", "===== Pebble state")
                .containsPattern("ACME directory https://\\S+ answered 200 in \\d+ ms")
                .containsPattern("management https?://\\S+/roots/0 answered 200")
                .contains("----- tail of ").contains("pebble.log");
    }

    @Test
    void aTimeoutIsRecognisedThroughItsCauses() {
        assertThat(TimeoutDiagnostics.isTimeout(new RuntimeException(new TimeoutException("late")))).isTrue();
        assertThat(TimeoutDiagnostics.isTimeout(new IllegalStateException(new AcmeTimeoutException()))).isTrue();
        assertThat(TimeoutDiagnostics.isTimeout(new AssertionError("expected 1 but was 2"))).isFalse();
        assertThat(TimeoutDiagnostics.isTimeout(new RuntimeException("no"))).isFalse();
    }

    private static String stderrOf(Runnable run) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            run.run();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }

    /** Named as the library's timeout, which this module does not depend on. */
    static final class AcmeTimeoutException extends Exception {
        private static final long serialVersionUID = 1L;
    }

    @ExtendWith(TimeoutDiagnostics.class)
    static class SleepsPastTimeout {
        private static final CountDownLatch RELEASE = new CountDownLatch(1);

        @Test
        @Timeout(value = 200, unit = TimeUnit.MILLISECONDS)
        void sleepsTooLong() throws InterruptedException {
            Thread worker = new Thread(SleepsPastTimeout::waitForever, "stuck-worker");
            worker.setDaemon(true);
            worker.start();
            try {
                new CountDownLatch(1).await(10, TimeUnit.SECONDS);
            } finally {
                // released after the diagnostics ran: the extension handles the failure first
                Thread releaser = new Thread(() -> {
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    RELEASE.countDown();
                });
                releaser.setDaemon(true);
                releaser.start();
            }
        }

        private static void waitForever() {
            try {
                RELEASE.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @ExtendWith(TimeoutDiagnostics.class)
    static class OtherTimeouts {
        @Test
        void preemptively() {
            Assertions.assertTimeoutPreemptively(Duration.ofMillis(100),
                    () -> new CountDownLatch(1).await(10, TimeUnit.SECONDS));
        }

        @Test
        void libraryTimeout() throws Exception {
            throw new AcmeTimeoutException();
        }
    }

    @ExtendWith(TimeoutDiagnostics.class)
    static class FailsPlainly {
        @Test
        void fails() {
            Assertions.fail("not a timeout");
        }
    }

    static class WithPebble {
        @RegisterExtension
        static PebbleExtension pebble = new PebbleExtension();

        @Test
        @Timeout(value = 200, unit = TimeUnit.MILLISECONDS)
        void waitsOnTheCa() throws InterruptedException {
            new CountDownLatch(1).await(10, TimeUnit.SECONDS);
        }
    }
}
