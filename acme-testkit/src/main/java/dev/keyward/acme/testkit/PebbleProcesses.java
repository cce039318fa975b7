package dev.keyward.acme.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The two processes of one run, challtestsrv and Pebble, started together and stopped together. */
final class PebbleProcesses {

    private static final int ATTEMPTS = 3;

    private final PebblePorts ports;
    private final ManagedProcess challengeServer;
    private final ManagedProcess pebble;

    private PebbleProcesses(PebblePorts ports, ManagedProcess challengeServer, ManagedProcess pebble) {
        this.ports = ports;
        this.challengeServer = challengeServer;
        this.pebble = pebble;
    }

    /**
     * Starts both processes on fresh loopback ports and waits until they serve. Should another
     * process take a picked port first, it retries on new ports, at most {@value #ATTEMPTS} times in
     * all, within {@code deadline}.
     */
    static PebbleProcesses launch(PebbleSettings settings, Executables.Binaries binaries,
            Path workDirectory, TlsMaterial tls, HttpClient client, Instant deadline) {
        for (int attempt = 1; ; attempt++) {
            PebbleProcesses processes = startOnce(settings, binaries, workDirectory, tls);
            try {
                processes.awaitReady(client, deadline);
                return processes;
            } catch (StartupFailure failure) {
                processes.stop(Duration.ofSeconds(5));
                if (!failure.portConflict() || attempt == ATTEMPTS || !Instant.now().isBefore(deadline)) {
                    throw failure;
                }
            } catch (RuntimeException | Error e) {
                processes.stop(Duration.ofSeconds(5));
                throw e;
            }
        }
    }

    /** The ports this run listens on. */
    PebblePorts ports() {
        return ports;
    }

    /** The directory URL of the ACME listener. */
    URI directoryUri() {
        return URI.create("https://" + LoopbackPorts.LOOPBACK.getHostAddress() + ":" + ports.acme() + "/dir");
    }

    /** Stops Pebble, then challtestsrv, each within {@code grace}; returns whether both exited. */
    boolean stop(Duration grace) {
        boolean pebbleStopped = pebble.stop(grace);
        boolean challengeServerStopped = challengeServer.stop(grace);
        return pebbleStopped && challengeServerStopped;
    }

    /** Kills both processes without waiting; for JVM shutdown. */
    void kill() {
        pebble.kill();
        challengeServer.kill();
    }

    private static PebbleProcesses startOnce(PebbleSettings settings, Executables.Binaries binaries,
            Path workDirectory, TlsMaterial tls) {
        PebblePorts ports = PebblePorts.pick();
        Path config = PebbleConfigFile.write(workDirectory.resolve("pebble-config.json"), settings, ports, tls);
        String loopback = LoopbackPorts.LOOPBACK.getHostAddress();
        ManagedProcess challengeServer = ManagedProcess.start("pebble-challtestsrv",
                challtestsrvArguments(binaries, loopback, ports),
                PebbleSettings.ENVIRONMENT_PREFIX, Map.of(), workDirectory,
                workDirectory.resolve("pebble-challtestsrv.log"));
        try {
            ManagedProcess pebble = ManagedProcess.start("pebble", List.of(
                            binaries.pebble().toString(),
                            "-config", config.toString(),
                            "-dnsserver", loopback + ":" + ports.dns()),
                    PebbleSettings.ENVIRONMENT_PREFIX, settings.environment(), workDirectory,
                    workDirectory.resolve("pebble.log"));
            return new PebbleProcesses(ports, challengeServer, pebble);
        } catch (RuntimeException e) {
            challengeServer.stop(Duration.ofSeconds(5));
            throw e;
        }
    }

    /**
     * challtestsrv serves DNS (UDP and TCP; Pebble 2.10 asks over TCP) and its management API on
     * loopback, answers AAAA with nothing, and opens no challenge listener, nor (2.10) a DoH one.
     */
    static List<String> challtestsrvArguments(Executables.Binaries binaries, String loopback, PebblePorts ports) {
        boolean modern = binaries.flavour() == Executables.Flavour.PEBBLE_2_10;
        List<String> arguments = new ArrayList<>(List.of(
                binaries.challtestsrv().toString(),
                "-defaultIPv4", loopback,
                "-defaultIPv6", "",
                modern ? "-dnsserver" : "-dns01", loopback + ":" + ports.dns(),
                "-management", loopback + ":" + ports.dnsManagement(),
                "-http01", "",
                "-https01", "",
                "-tlsalpn01", ""));
        if (modern) {
            arguments.addAll(List.of("-doh", ""));
        }
        return List.copyOf(arguments);
    }

    private void awaitReady(HttpClient client, Instant deadline) {
        ReadinessProbe.await(deadline, List.of(challengeServer, pebble), List.of(
                ReadinessProbe.acceptsConnections(ports.dnsManagement(), "challtestsrv's management port"),
                ReadinessProbe.acceptsConnections(ports.dns(), "challtestsrv's DNS port (TCP)"),
                ReadinessProbe.acceptsConnections(ports.management(), "Pebble's management port"),
                ReadinessProbe.answersOk(client, directoryUri())));
    }
}
