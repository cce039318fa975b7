package dev.keyward.acme.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the kit finds Pebble and tells 2.10 from 2.4, with stand-in executables that print a usage text. */
class ExecutablesTest {

    private static final String USAGE_2_10 = "echo 'Usage of pebble-challtestsrv:' >&2\n"
            + "echo '  -dnsserver string' >&2\necho '  -doh string' >&2\nexit 2\n";
    private static final String USAGE_2_4 = "echo 'Usage of pebble-challtestsrv:' >&2\n"
            + "echo '  -dns01 string' >&2\nexit 2\n";

    @TempDir
    Path temp;

    @Test
    void theCacheFolderIsUnderXdgCacheHomeOrTheHomesCacheUnlessKeywardToolsDirSaysOtherwise() {
        Path home = Path.of("/home/dev");

        assertThat(Executables.cacheDirectory(Map.of(), home))
                .isEqualTo(Path.of("/home/dev/.cache/keyward/pebble-2.10.0+ds1-2/usr/bin"));
        assertThat(Executables.cacheDirectory(Map.of("XDG_CACHE_HOME", "/var/cache/dev"), home))
                .isEqualTo(Path.of("/var/cache/dev/keyward/pebble-2.10.0+ds1-2/usr/bin"));
        assertThat(Executables.cacheDirectory(Map.of("KEYWARD_TOOLS_DIR", "/opt/tools", "XDG_CACHE_HOME", "/x"), home))
                .isEqualTo(Path.of("/opt/tools/pebble-2.10.0+ds1-2/usr/bin"));
    }

    @Test
    void keywardPebbleHomeComesBeforeTheCacheFolder() throws IOException {
        Path pebbleHome = pebbleFolder(temp.resolve("pebble-home"), USAGE_2_10);
        pebbleFolder(temp.resolve("tools").resolve("pebble-2.10.0+ds1-2/usr/bin"), USAGE_2_10);

        Executables.Binaries binaries = Executables.locate(PebbleServer.builder().settings(),
                Map.of("KEYWARD_PEBBLE_HOME", pebbleHome.toString(), "KEYWARD_TOOLS_DIR", temp.resolve("tools").toString()),
                temp);

        assertThat(binaries.pebble()).isEqualTo(pebbleHome.resolve("pebble"));
        assertThat(binaries.challtestsrv()).isEqualTo(pebbleHome.resolve("pebble-challtestsrv"));
        assertThat(binaries.flavour()).isEqualTo(Executables.Flavour.PEBBLE_2_10);
    }

    @Test
    void withoutKeywardPebbleHomeTheCacheFolderOfEnsureToolsIsUsed() throws IOException {
        Path cache = pebbleFolder(temp.resolve(".cache/keyward/pebble-2.10.0+ds1-2/usr/bin"), USAGE_2_10);

        Executables.Binaries binaries = Executables.locate(PebbleServer.builder().settings(), Map.of(), temp);

        assertThat(binaries.pebble()).isEqualTo(cache.resolve("pebble"));
        assertThat(binaries.challtestsrv()).isEqualTo(cache.resolve("pebble-challtestsrv"));
    }

    @Test
    void aPebble24FoundByDefaultFailsWithTheCommandThatFetchesPebble210() throws IOException {
        Path old = pebbleFolder(temp.resolve("bookworm"), USAGE_2_4);

        assertThatThrownBy(() -> Executables.locate(PebbleServer.builder().settings(),
                Map.of("KEYWARD_PEBBLE_HOME", old.toString()), temp))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is 2.4")
                .hasMessageContaining("bash scripts/ensure-tools.sh pebble")
                .hasMessageContaining(temp.resolve(".cache/keyward/pebble-2.10.0+ds1-2/usr/bin").toString());
    }

    @Test
    void aPebble24NamedByTheBuilderRunsWithItsOwnDnsFlagAndNoDoh() throws IOException {
        Path old = pebbleFolder(temp.resolve("bookworm"), USAGE_2_4);
        PebbleSettings settings = PebbleServer.builder()
                .pebbleBinary(old.resolve("pebble")).challtestsrvBinary(old.resolve("pebble-challtestsrv")).settings();

        Executables.Binaries binaries = Executables.locate(settings, Map.of(), temp);

        assertThat(binaries.flavour()).isEqualTo(Executables.Flavour.PEBBLE_2_4);
        assertThat(PebbleProcesses.challtestsrvArguments(binaries, "127.0.0.1", new PebblePorts(1, 2, 3, 4, 5, 6)))
                .containsSequence("-dns01", "127.0.0.1:5")
                .doesNotContain("-dnsserver", "-doh");
    }

    @Test
    void pebble210GetsDnsserverAndNoDohListener() throws IOException {
        Path current = pebbleFolder(temp.resolve("sid"), USAGE_2_10);
        Executables.Binaries binaries = Executables.locate(PebbleServer.builder().settings(),
                Map.of("KEYWARD_PEBBLE_HOME", current.toString()), temp);

        assertThat(PebbleProcesses.challtestsrvArguments(binaries, "127.0.0.1", new PebblePorts(1, 2, 3, 4, 5, 6)))
                .containsSequence("-dnsserver", "127.0.0.1:5")
                .containsSequence("-management", "127.0.0.1:6")
                .containsSequence("-doh", "")
                .doesNotContain("-dns01");
    }

    @Test
    void profilesAndRetryAfterOnAPebble24AreRefusedRatherThanIgnored() throws IOException {
        Path old = pebbleFolder(temp.resolve("bookworm"), USAGE_2_4);
        PebbleSettings settings = PebbleServer.builder()
                .challtestsrvBinary(old.resolve("pebble-challtestsrv"))
                .pebbleBinary(old.resolve("pebble"))
                .retryAfter(Duration.ofSeconds(1), Duration.ofSeconds(1))
                .settings();

        assertThatThrownBy(() -> Executables.locate(settings, Map.of(), temp))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("need Pebble 2.10");
    }

    @Test
    void theDefaultSearchOnThisMachineFindsPebble210() {
        Executables.Binaries binaries = Executables.locate(PebbleServer.builder().settings(), System.getenv(),
                Path.of(System.getProperty("user.home")));

        assertThat(binaries.flavour()).as("%s", binaries).isEqualTo(Executables.Flavour.PEBBLE_2_10);
    }

    private static Path pebbleFolder(Path folder, String challtestsrvUsage) throws IOException {
        Files.createDirectories(folder);
        executable(folder.resolve("pebble"), "exit 0\n");
        executable(folder.resolve("pebble-challtestsrv"), challtestsrvUsage);
        return folder;
    }

    private static void executable(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
