package dev.keyward.acme.testkit;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Finds the Pebble executables, tells Pebble 2.10 from 2.4, and explains how to install Pebble 2.10
 * when it is missing.
 *
 * <p>Each executable is looked up in this order: the builder's path; {@code $KEYWARD_PEBBLE_HOME}; the
 * cache directory of {@code scripts/ensure-tools.sh pebble}
 * ({@code ${KEYWARD_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/keyward}/pebble-2.10.0+ds1-2/usr/bin});
 * {@code /usr/bin}; {@code PATH}.
 */
final class Executables {

    /** The Debian version of Pebble that the tests need, as fetched by {@code scripts/ensure-tools.sh}. */
    static final String PEBBLE_VERSION = "2.10.0+ds1-2";

    /** The command, run from the project's root, that fetches Pebble 2.10 into the cache directory. */
    static final String INSTALL_COMMAND = "bash scripts/ensure-tools.sh pebble";

    static final String PEBBLE = "pebble";
    static final String CHALLTESTSRV = "pebble-challtestsrv";

    /** Which command-line flags the challenge test server understands. */
    enum Flavour {
        /** Pebble 2.10: {@code -dnsserver} and a DoH listener to turn off with {@code -doh ""}. */
        PEBBLE_2_10,
        /** Pebble 2.4 (Debian bookworm): {@code -dns01}, no profiles, no ARI. */
        PEBBLE_2_4
    }

    /** The two executables of one run and the flags they take. */
    record Binaries(Path pebble, Path challtestsrv, Flavour flavour) {
    }

    private static final Map<Path, Flavour> FLAVOURS = new ConcurrentHashMap<>();

    private Executables() {
    }

    /**
     * Finds both executables for {@code settings}, reading {@code environment} and {@code userHome}
     * for the default locations, and checks that they are Pebble 2.10 unless the builder named the
     * challenge test server itself.
     *
     * @throws IllegalStateException if an executable is missing or, found by default, is Pebble 2.4
     */
    static Binaries locate(PebbleSettings settings, Map<String, String> environment, Path userHome) {
        List<Path> directories = defaultDirectories(environment, userHome);
        Path pebble = resolve(settings.pebbleBinary(), PEBBLE, directories);
        Path challtestsrv = resolve(settings.challtestsrvBinary(), CHALLTESTSRV, directories);
        requireExecutable(pebble, "Pebble (pebble)", settings.pebbleBinary().isPresent() ? List.of() : directories);
        requireExecutable(challtestsrv, "Pebble's challenge test server (pebble-challtestsrv)",
                settings.challtestsrvBinary().isPresent() ? List.of() : directories);
        Flavour flavour = flavour(challtestsrv);
        if (flavour == Flavour.PEBBLE_2_4 && settings.challtestsrvBinary().isEmpty()) {
            throw new IllegalStateException("The Pebble found at " + challtestsrv.getParent() + " is 2.4 (its"
                    + " pebble-challtestsrv has no -dnsserver flag), but the tests need Pebble 2.10. Run `"
                    + INSTALL_COMMAND + "` from the project's root: it fetches Debian's pebble " + PEBBLE_VERSION
                    + " into " + cacheDirectory(environment, userHome) + ", where the test kit finds it. Or set"
                    + " KEYWARD_PEBBLE_HOME to a folder holding Pebble 2.10's pebble and pebble-challtestsrv.");
        }
        if (flavour == Flavour.PEBBLE_2_4 && (!settings.profiles().isEmpty() || settings.retryAfter().isPresent())) {
            throw new IllegalStateException("profiles and retryAfter need Pebble 2.10, but " + challtestsrv
                    + " belongs to Pebble 2.4");
        }
        return new Binaries(pebble, challtestsrv, flavour);
    }

    /** Where {@code scripts/ensure-tools.sh pebble} puts the binaries. */
    static Path cacheDirectory(Map<String, String> environment, Path userHome) {
        String tools = environment.get("KEYWARD_TOOLS_DIR");
        Path root;
        if (tools != null && !tools.isEmpty()) {
            root = Path.of(tools);
        } else {
            String xdg = environment.get("XDG_CACHE_HOME");
            root = (xdg != null && !xdg.isEmpty() ? Path.of(xdg) : userHome.resolve(".cache")).resolve("keyward");
        }
        return root.resolve("pebble-" + PEBBLE_VERSION).resolve("usr").resolve("bin");
    }

    /**
     * The flags {@code challtestsrv} takes, read from its usage text ({@code -h}); remembered per path.
     * An executable that prints no usage (such as a test's stand-in script) counts as 2.10.
     */
    static Flavour flavour(Path challtestsrv) {
        return FLAVOURS.computeIfAbsent(challtestsrv.toAbsolutePath(), Executables::readFlavour);
    }

    private static Flavour readFlavour(Path challtestsrv) {
        String usage = usage(challtestsrv);
        return usage.contains("-dns01") && !usage.contains("-dnsserver") ? Flavour.PEBBLE_2_4 : Flavour.PEBBLE_2_10;
    }

    private static String usage(Path binary) {
        try {
            Process process = new ProcessBuilder(binary.toString(), "-h")
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            try (InputStream in = process.getInputStream()) {
                byte[] buffer = new byte[8192];
                for (int read; output.size() < 65536 && (read = in.read(buffer)) >= 0; ) {
                    output.write(buffer, 0, read);
                }
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return output.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + binary + " -h", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the usage of " + binary, e);
        }
    }

    private static List<Path> defaultDirectories(Map<String, String> environment, Path userHome) {
        List<Path> directories = new ArrayList<>();
        String home = environment.get("KEYWARD_PEBBLE_HOME");
        if (home != null && !home.isEmpty()) {
            directories.add(Path.of(home));
        }
        directories.add(cacheDirectory(environment, userHome));
        directories.add(Path.of("/usr/bin"));
        String path = environment.get("PATH");
        if (path != null) {
            for (String directory : path.split(File.pathSeparator)) {
                if (!directory.isEmpty()) {
                    try {
                        directories.add(Path.of(directory));
                    } catch (InvalidPathException ignored) {
                        // A malformed PATH entry cannot hold the binary.
                    }
                }
            }
        }
        return directories;
    }

    /**
     * Returns {@code configured} when it is given, else the first executable {@code name} in
     * {@code directories}, else {@code name} in the first directory (which then fails
     * {@link #requireExecutable}).
     */
    private static Path resolve(Optional<Path> configured, String name, List<Path> directories) {
        if (configured.isPresent()) {
            return configured.get();
        }
        return directories.stream()
                .map(directory -> directory.resolve(name))
                .filter(Executables::isExecutable)
                .findFirst()
                .orElse(directories.get(0).resolve(name));
    }

    private static void requireExecutable(Path binary, String role, List<Path> searched) {
        if (!isExecutable(binary)) {
            throw new IllegalStateException(role + " is not installed: no executable file at " + binary
                    + (searched.isEmpty() ? "" : " (looked in " + searched + ")") + ". Install Pebble 2.10 with `" + INSTALL_COMMAND + "` from"
                    + " the project's root (it fetches Debian's pebble " + PEBBLE_VERSION + " into a cache folder"
                    + " the test kit searches), set KEYWARD_PEBBLE_HOME to a folder holding pebble and"
                    + " pebble-challtestsrv, or point the builder at the binaries with pebbleBinary(Path) and"
                    + " challtestsrvBinary(Path).");
        }
    }

    private static boolean isExecutable(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }
}
