package dev.keyward.acme.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One child process whose standard output and error go to a log file. */
final class ManagedProcess {

    private static final int TAIL_BYTES = 8192;
    private static final int TAIL_LINES = 30;

    private final String name;
    private final Process process;
    private final Path logFile;

    private ManagedProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Starts {@code command} in {@code directory}. The environment is inherited, less every variable
     * whose name starts with {@code clearedPrefix}, plus {@code environment}.
     */
    static ManagedProcess start(String name, List<String> command, String clearedPrefix,
            Map<String, String> environment, Path directory, Path logFile) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
        builder.environment().keySet().removeIf(variable -> variable.startsWith(clearedPrefix));
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            return new ManagedProcess(name, process, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (" + command.get(0) + ")", e);
        }
    }

    /** A short human name such as {@code pebble}. */
    String name() {
        return name;
    }

    /** The file that receives the process's output. */
    Path logFile() {
        return logFile;
    }

    /** Whether the process still runs. */
    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code; only meaningful once {@link #isAlive()} is false. */
    int exitValue() {
        return process.exitValue();
    }

    /** The last lines of the log, for error messages; never throws. */
    String logTail() {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long start = Math.max(0, file.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(log " + logFile + " unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Asks the process to terminate, kills it when it has not exited within {@code grace}, and waits
     * up to {@code grace} again for that. Returns whether it has exited.
     */
    boolean stop(Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        return !process.isAlive();
    }

    /** Kills the process without waiting; for JVM shutdown. */
    void kill() {
        process.destroyForcibly();
    }
}
