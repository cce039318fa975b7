package dev.keyward.examples.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code keyward} as a separate process ({@code java -cp <the test class path>
 * dev.keyward.examples.cli.Keyward ...}), its stdout and stderr merged and read line by line, so a
 * test waits for what the client says, with a deadline, instead of sleeping.
 */
final class KeywardProcess implements AutoCloseable {
    private static final String END = "\u0000end";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private KeywardProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
            lines.add(END);
        }, "keyward-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    static KeywardProcess start(Path workDirectory, String... args) throws IOException {
        return start(workDirectory, java.util.Map.of(), args);
    }

    /** As {@link #start(Path, String...)}, with more environment variables. */
    static KeywardProcess start(Path workDirectory, java.util.Map<String, String> environment, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Keyward.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDirectory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return new KeywardProcess(builder.start());
    }

    /** Waits for a line that matches, and returns it; fails with everything the process said after the deadline. */
    String await(Predicate<String> wanted, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.equals(END)) {
                if (line != null) {
                    lines.add(END);
                }
                throw new AssertionError((line == null ? "no such line within " + deadline : "the process ended")
                        + "; it said:\n" + String.join("\n", seen));
            }
            seen.add(line);
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    /** Everything the process said so far. */
    String transcript() {
        List<String> more = new ArrayList<>();
        lines.drainTo(more);
        for (String line : more) {
            if (line.equals(END)) {
                lines.add(END);
            } else {
                seen.add(line);
            }
        }
        return String.join("\n", seen);
    }

    /** Waits for the end of the output after the process exited, so {@link #transcript()} has it all. */
    private void awaitEnd() throws InterruptedException {
        try {
            await(line -> false, Duration.ofSeconds(10));
        } catch (AssertionError ended) {
            // the output ended (or stayed silent for 10 s)
        }
    }

    Process process() {
        return process;
    }

    /** SIGTERM, then the exit code. */
    int terminate(Duration deadline) throws InterruptedException {
        // ProcessHandle.destroy sends SIGTERM and, unlike Process.destroy, leaves the output open to the end.
        process.toHandle().destroy();
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("no exit within " + deadline + " of SIGTERM; it said:\n" + transcript());
        }
        awaitEnd();
        return process.exitValue();
    }

    /** SIGKILL, as kill -9. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
