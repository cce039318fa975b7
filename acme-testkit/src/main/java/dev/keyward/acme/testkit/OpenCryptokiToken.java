package dev.keyward.acme.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * openCryptoki's soft token (Debian package {@code opencryptoki}, the {@code IBM SoftTok} slot), a
 * second real PKCS#11 module beside SoftHSM2 for tests: a module with a slot daemon
 * ({@code pkcsslotd}), fixed slot numbers and one system-wide token per slot.
 *
 * <p>Unlike SoftHSM's, this token cannot be created per test run: it lives in
 * {@code /var/lib/opencryptoki/swtok}. {@link #softToken()} initialises it once, labelled
 * {@value #LABEL} with this class's PINs, when it is not initialised yet; a token initialised with
 * another label belongs to someone else and is never wiped: the call fails instead. Keys made in it
 * persist across runs, so tests give them labels unique to the run ({@link #uniqueLabel(String)}).
 *
 * <p>When the module is not installed or its daemon is not running (and cannot be started here), the
 * call fails with what to run; tests are never skipped. {@code scripts/ensure-opencryptoki.sh}
 * installs the package and starts the daemon.
 */
public final class OpenCryptokiToken {
    /** The label this class gives the soft token. */
    public static final String LABEL = "keyward-ock";
    /** What installs the module and starts its daemon. */
    public static final String SETUP_COMMAND = "sudo scripts/ensure-opencryptoki.sh";

    /** openCryptoki's default SO PIN, which a token has until its SO PIN is set. */
    private static final String DEFAULT_SO_PIN = "87654321";
    private static final String SO_PIN = "76543210";
    private static final String USER_PIN = "24681357";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final List<Path> LIBRARIES = List.of(
            Path.of("/usr/lib/x86_64-linux-gnu/opencryptoki/libopencryptoki.so.0"),
            Path.of("/usr/lib/aarch64-linux-gnu/opencryptoki/libopencryptoki.so.0"),
            Path.of("/usr/lib/opencryptoki/libopencryptoki.so.0"),
            Path.of("/usr/lib64/opencryptoki/libopencryptoki.so.0"));
    private static final Pattern TOKEN = Pattern.compile("Token #(\\d+) Info:\\s*\\n\\s*Label: ([^\\n]*)\\n"
            + "(?:[^\\n]*\\n){1}\\s*Model: IBM SoftTok[^\\n]*\\n(?:[^\\n]*\\n){1}\\s*Flags: 0x([0-9A-Fa-f]+)");
    private static final long CKF_TOKEN_INITIALIZED = 0x400;
    private static final long CKF_USER_PIN_INITIALIZED = 0x8;
    private static final String RUN = Long.toString(System.nanoTime() & 0xFFFFFF, 36);

    private static OpenCryptokiToken softToken;

    private final Path library;
    private final long slotId;

    private OpenCryptokiToken(Path library, long slotId) {
        this.library = library;
        this.slotId = slotId;
    }

    /**
     * The soft token, initialised on first use when it is not yet.
     *
     * @return the token
     * @throws IllegalStateException if openCryptoki is not installed, its daemon is not running and
     *     cannot be started, or the soft token was initialised by someone else
     */
    public static synchronized OpenCryptokiToken softToken() {
        if (softToken != null) {
            return softToken;
        }
        Path library = LIBRARIES.stream().filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new IllegalStateException("openCryptoki is not installed (looked for its module at "
                        + LIBRARIES + "). Run `" + SETUP_COMMAND + "`."));
        Path pkcsconf = executable("pkcsconf");
        ensureDaemon();
        String info = run(List.of(pkcsconf.toString(), "-t"));
        Matcher token = TOKEN.matcher(info);
        if (!token.find()) {
            throw new IllegalStateException("openCryptoki lists no soft token (model IBM SoftTok); is slot 3 with"
                    + " stdll libpkcs11_sw.so in /etc/opencryptoki/opencryptoki.conf? pkcsconf -t said: " + info.strip());
        }
        long slot = Long.parseLong(token.group(1));
        String label = token.group(2).strip();
        long flags = Long.parseLong(token.group(3), 16);
        String slotText = Long.toString(slot);
        if ((flags & CKF_TOKEN_INITIALIZED) == 0) {
            run(List.of(pkcsconf.toString(), "-I", "-c", slotText, "-S", DEFAULT_SO_PIN), LABEL + "\n");
            run(List.of(pkcsconf.toString(), "-P", "-c", slotText, "-S", DEFAULT_SO_PIN, "-n", SO_PIN));
            run(List.of(pkcsconf.toString(), "-u", "-c", slotText, "-S", SO_PIN, "-n", USER_PIN));
        } else if (!label.equals(LABEL)) {
            throw new IllegalStateException("openCryptoki's soft token in slot " + slot + " is labelled '" + label
                    + "', not '" + LABEL + "': it was initialised by someone else, and the tests will not wipe it."
                    + " Re-initialise it yourself (pkcsconf -I -c " + slot + ") if it holds nothing of value.");
        } else if ((flags & CKF_USER_PIN_INITIALIZED) == 0) {
            run(List.of(pkcsconf.toString(), "-u", "-c", slotText, "-S", SO_PIN, "-n", USER_PIN));
        }
        softToken = new OpenCryptokiToken(library, slot);
        return softToken;
    }

    /**
     * A key label unique to this JVM: the token keeps keys from earlier runs.
     *
     * @param base what the key is for
     * @return {@code base} with a suffix for this run
     */
    public static String uniqueLabel(String base) {
        return base + "-" + RUN;
    }

    /**
     * The openCryptoki PKCS#11 module (its API library, which talks to the daemon).
     *
     * @return its path
     */
    public Path library() {
        return library;
    }

    /**
     * The token label.
     *
     * @return {@value #LABEL}
     */
    public String label() {
        return LABEL;
    }

    /**
     * The slot of the soft token.
     *
     * @return the slot id
     */
    public long slotId() {
        return slotId;
    }

    /**
     * The user PIN, as a fresh array the caller may clear.
     *
     * @return the PIN
     */
    public char[] pin() {
        return USER_PIN.toCharArray();
    }

    /**
     * The user PIN as text, for command lines and PKCS#11 URIs in tests.
     *
     * @return the PIN
     */
    public String pinText() {
        return USER_PIN;
    }

    @Override
    public String toString() {
        return "OpenCryptokiToken{'" + LABEL + "', slot " + slotId + "}";
    }

    /** Starts pkcsslotd when it is not running; fails when it cannot. */
    private static void ensureDaemon() {
        if (daemonRunning()) {
            return;
        }
        Path daemon = executable("pkcsslotd");
        String output;
        try {
            output = run(List.of(daemon.toString()));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("openCryptoki's slot daemon pkcsslotd is not running and could not be"
                    + " started (" + e.getMessage() + "); it needs root, or a user in group pkcs11. Run `"
                    + SETUP_COMMAND + "`.", e);
        }
        if (!daemonRunning()) {
            throw new IllegalStateException("openCryptoki's slot daemon pkcsslotd exited at once after being started"
                    + " (" + output.strip() + "). Run `" + SETUP_COMMAND + "`.");
        }
    }

    private static boolean daemonRunning() {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .anyMatch(p -> {
                        try {
                            return Files.readString(p.resolve("comm"), StandardCharsets.UTF_8).strip().equals("pkcsslotd");
                        } catch (IOException | UncheckedIOException e) {
                            return false;
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc", e);
        }
    }

    private static Path executable(String name) {
        for (Path directory : List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"), Path.of("/sbin"), Path.of("/usr/local/sbin"))) {
            Path candidate = directory.resolve(name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("openCryptoki's " + name + " is not installed. Run `" + SETUP_COMMAND + "`.");
    }

    private static String run(List<String> command) {
        return run(command, "");
    }

    /** Runs a command with {@code input} on its standard input; returns its output, or fails with it. */
    private static String run(List<String> command, String input) {
        Path log = null;
        try {
            log = Files.createTempFile("keyward-opencryptoki-", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(2, command.size())))
                        + " did not finish within " + COMMAND_TIMEOUT.toSeconds() + " s");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(Path.of(command.get(0)).getFileName() + " failed with exit code "
                        + process.exitValue() + ": " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // A leftover log in the temporary folder is harmless.
                }
            }
        }
    }
}
