package dev.keyward.acme.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PebbleServerLifecycleTest {

    @TempDir
    Path temp;

    @Test
    void aMissingPebbleBinaryFailsWithTheInstallCommandInsteadOfSkipping() {
        PebbleServer server = PebbleServer.builder().pebbleBinary(temp.resolve("no-such-pebble")).build();

        assertThatThrownBy(server::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("scripts/ensure-tools.sh pebble")
                .hasMessageContaining(temp.resolve("no-such-pebble").toString());
    }

    @Test
    void aMissingChallengeTestServerFailsWithTheSameInstallCommand() {
        PebbleServer server = PebbleServer.builder().challtestsrvBinary(temp.resolve("no-such-challtestsrv")).build();

        assertThatThrownBy(server::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pebble-challtestsrv")
                .hasMessageContaining("scripts/ensure-tools.sh pebble");
    }

    @Test
    void aBinaryThatIsNotExecutableCountsAsMissing() throws IOException {
        Path notExecutable = Files.writeString(temp.resolve("pebble"), "#!/bin/sh\n");

        assertThatThrownBy(() -> PebbleServer.builder().pebbleBinary(notExecutable).build().start())
                .hasMessageContaining("scripts/ensure-tools.sh pebble");
    }

    @Test
    void aPebbleThatExitsDuringStartupFailsWithTheTailOfItsLog() throws IOException {
        Path crashing = script("crashing-pebble", "echo 'first line'\necho 'config rejected' >&2\nexit 3\n");

        assertThatThrownBy(() -> PebbleServer.builder().pebbleBinary(crashing).build().start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pebble exited with code 3")
                .hasMessageContaining("first line")
                .hasMessageContaining("config rejected");
    }

    @Test
    void aPebbleThatNeverAnswersFailsOnceTheStartupTimeoutPasses() throws IOException {
        Path silent = script("silent-pebble", "echo 'still thinking'\nexec sleep 60\n");
        PebbleServer server = PebbleServer.builder()
                .pebbleBinary(silent)
                .startupTimeout(Duration.ofMillis(500))
                .build();

        assertThatThrownBy(server::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not ready in time")
                .hasMessageContaining("still thinking");
    }

    @Test
    void closeStopsBothProcessesAndFreesEveryPort() throws Exception {
        PebbleServer server = PebbleServer.builder().build().start();
        Path workDirectory = server.workDirectory();
        List<Integer> tcpPorts = List.of(server.directoryUri().getPort(), server.managementUri().getPort(),
                server.dns().managementUri().getPort(), server.dnsAddress().getPort(), server.http01Responder().port());
        int dnsPort = server.dnsAddress().getPort();

        server.close();

        for (int port : tcpPorts) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
            }
        }
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", dnsPort))) {
            assertThat(socket.getLocalPort()).isEqualTo(dnsPort);
        }
        assertThat(workDirectory).doesNotExist();
        assertThatThrownBy(server::directoryUri).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        server.close();
    }

    @Test
    void externalAccountBindingMakesTheDirectoryRequireAnExternalAccount() throws Exception {
        try (PebbleServer server = PebbleServer.builder()
                .externalAccountBinding(Map.of("kid-1", "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W"))
                .build()
                .start()) {
            HttpClient client = HttpClient.newBuilder().sslContext(server.sslContext()).build();

            String directory = client.send(HttpRequest.newBuilder(server.directoryUri()).build(),
                    HttpResponse.BodyHandlers.ofString()).body();

            assertThat(directory).contains("\"externalAccountRequired\": true");
        }
    }

    @Test
    void alternateRootsAndChainLengthAreVisibleOnTheManagementPort() throws Exception {
        try (PebbleServer server = PebbleServer.builder().alternateRoots(1).chainLength(2).build().start()) {
            assertThat(server.rootCertificates()).hasSize(2).doesNotHaveDuplicates();
            assertThat(server.intermediateCertificates()).hasSize(2);
            assertThat(Files.readString(server.workDirectory().resolve("pebble.log")))
                    .contains("Intermediate CA", "#1 ->");
        }
    }

    @Test
    void aConfiguredWorkDirectoryIsKeptAfterClose() {
        Path workDirectory = temp.resolve("kept");

        try (PebbleServer server = PebbleServer.builder().workDirectory(workDirectory).build().start()) {
            assertThat(server.workDirectory()).isEqualTo(workDirectory);
        }

        assertThat(workDirectory.resolve("pebble.log")).exists();
        assertThat(workDirectory.resolve("pebble-challtestsrv.log")).exists();
        assertThat(workDirectory.resolve("pebble-config.json")).exists();
    }

    @Test
    void aServerStartsOnlyOnceAndHasNoAddressBeforeItStarts() {
        PebbleServer server = PebbleServer.builder().pebbleBinary(temp.resolve("missing")).build();

        assertThatThrownBy(server::directoryUri).isInstanceOf(IllegalStateException.class).hasMessageContaining("start()");
        assertThatThrownBy(server::start).hasMessageContaining("scripts/ensure-tools.sh pebble");
        assertThatThrownBy(server::start).hasMessageContaining("started before");
    }

    private Path script(String name, String body) throws IOException {
        Path script = Files.writeString(temp.resolve(name), "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
