package dev.keyward.acme.testkit;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * A JUnit 5 extension that makes a test which waited too long explain itself: when a test fails
 * with a timeout (JUnit's {@code @Timeout}, {@code assertTimeoutPreemptively}, an
 * {@code AcmeTimeoutException} of the library, or any {@link TimeoutException}), it prints to
 * standard error a full thread dump (every thread's whole stack, the locks it holds and waits for,
 * and any deadlock the JVM detects) and the CA's state: the tail of the test kit's Pebble logs and
 * whether Pebble's ACME and management listeners still answer. The test fails as before.
 *
 * <p>{@link PebbleExtension} applies it to every test of its class; register it elsewhere with
 * {@code @ExtendWith(TimeoutDiagnostics.class)}.
 */
public final class TimeoutDiagnostics implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TimeoutDiagnostics.class);
    private static final int LOG_TAIL_BYTES = 8192;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    /** Creates the extension (JUnit does, through {@code @ExtendWith}). */
    public TimeoutDiagnostics() {
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        diagnose(context, failure);
        throw failure;
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        diagnose(context, failure);
        throw failure;
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        diagnose(context, failure);
        throw failure;
    }

    /** Prints the diagnostics once per test (or class) that failed with a timeout. */
    private static void diagnose(ExtensionContext context, Throwable failure) {
        if (isTimeout(failure) && context.getStore(NAMESPACE).get(context.getUniqueId()) == null) {
            context.getStore(NAMESPACE).put(context.getUniqueId(), Boolean.TRUE);
            report(System.err, context.getDisplayName(), failure, PebbleExtension.serverOf(context));
        }
    }

    /**
     * Whether the failure, or one of its causes, is a timeout: a {@link TimeoutException} (what
     * {@code @Timeout} throws), the failure of {@code assertTimeoutPreemptively}, or an exception
     * whose class is or extends {@code AcmeTimeoutException}.
     *
     * @param failure the failure
     * @return whether it is a timeout
     */
    public static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException) {
                return true;
            }
            for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
                if (c.getSimpleName().equals("AcmeTimeoutException")) {
                    return true;
                }
            }
            String message = String.valueOf(t.getMessage());
            if (t instanceof AssertionError && message.startsWith("execution timed out after")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Prints the diagnostics of a timed-out test.
     *
     * @param out where to print
     * @param test the test's name
     * @param failure why it failed
     * @param pebble the test's Pebble, or {@code null} when it has none
     */
    public static void report(PrintStream out, String test, Throwable failure, PebbleServer pebble) {
        StringBuilder text = new StringBuilder();
        text.append("===== ").append(test).append(" timed out at ").append(Instant.now()).append(": ")
                .append(failure).append('\n');
        text.append(threadDump());
        text.append(pebble == null ? "===== no Pebble of the test kit runs for this test\n" : caState(pebble));
        text.append("===== end of the diagnostics of ").append(test).append('\n');
        out.print(text);
        out.flush();
    }

    /**
     * A full thread dump: every live thread with its state, whole stack, held monitors and
     * synchronizers and the lock it waits for, then the deadlocks the JVM detects.
     *
     * @return the dump
     */
    public static String threadDump() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        StringBuilder out = new StringBuilder("===== thread dump\n");
        ThreadInfo[] infos = bean.dumpAllThreads(bean.isObjectMonitorUsageSupported(), bean.isSynchronizerUsageSupported());
        Arrays.sort(infos, Comparator.comparing(ThreadInfo::getThreadName));
        for (ThreadInfo info : infos) {
            out.append('"').append(info.getThreadName()).append("\" #").append(info.getThreadId())
                    .append(info.isDaemon() ? " daemon" : "").append(' ').append(info.getThreadState());
            if (info.getLockName() != null) {
                out.append(" on ").append(info.getLockName());
            }
            if (info.getLockOwnerName() != null) {
                out.append(" owned by \"").append(info.getLockOwnerName()).append("\" #").append(info.getLockOwnerId());
            }
            out.append('\n');
            StackTraceElement[] stack = info.getStackTrace();
            MonitorInfo[] monitors = info.getLockedMonitors();
            for (int i = 0; i < stack.length; i++) {
                out.append("\tat ").append(stack[i]).append('\n');
                for (MonitorInfo monitor : monitors) {
                    if (monitor.getLockedStackDepth() == i) {
                        out.append("\t- locked ").append(monitor).append('\n');
                    }
                }
            }
            LockInfo[] synchronizers = info.getLockedSynchronizers();
            if (synchronizers.length > 0) {
                out.append("\tlocked synchronizers: ").append(Arrays.toString(synchronizers)).append('\n');
            }
            out.append('\n');
        }
        long[] deadlocked = bean.findDeadlockedThreads();
        out.append(deadlocked == null ? "no deadlock detected among JVM threads\n"
                : "DEADLOCK among threads " + Arrays.toString(deadlocked) + "\n");
        return out.toString();
    }

    /**
     * What the test kit knows of Pebble's state: whether its ACME directory and its management
     * listener answer within two seconds (a deadlocked Pebble answers nothing), and the tail of its
     * logs and of pebble-challtestsrv's.
     *
     * @param pebble the running Pebble
     * @return the report
     */
    public static String caState(PebbleServer pebble) {
        StringBuilder out = new StringBuilder("===== Pebble state\n");
        HttpClient client = HttpClient.newBuilder().sslContext(pebble.sslContext()).connectTimeout(PROBE_TIMEOUT).build();
        out.append(probe(client, "ACME directory", pebble.directoryUri()));
        out.append(probe(client, "management", pebble.managementUri().resolve("/roots/0")));
        Path work = pebble.workDirectory();
        for (String log : new String[] {"pebble.log", "pebble-challtestsrv.log"}) {
            out.append("----- tail of ").append(work.resolve(log)).append('\n').append(tail(work.resolve(log))).append('\n');
        }
        return out.toString();
    }

    private static String probe(HttpClient client, String what, URI url) {
        long start = System.nanoTime();
        try {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(url).timeout(PROBE_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return what + " " + url + " answered " + response.statusCode() + " in "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms\n";
        } catch (IOException e) {
            return what + " " + url + " did not answer within " + PROBE_TIMEOUT.toSeconds() + " s: " + e + "\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return what + " " + url + " was not probed: interrupted\n";
        }
    }

    /** The last few kilobytes of a log, whole lines; never throws. */
    static String tail(Path log) {
        if (!Files.isRegularFile(log)) {
            return "(no such file)";
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            long from = Math.max(0, length - LOG_TAIL_BYTES);
            byte[] bytes = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int firstLine = from > 0 ? text.indexOf('\n') + 1 : 0;
            return text.substring(firstLine);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
