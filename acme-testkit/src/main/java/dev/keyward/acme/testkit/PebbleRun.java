package dev.keyward.acme.testkit;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Everything one started Pebble owns: work directory, TLS material, processes, clients, the JVM
 * shutdown hook and, once asked for, the http-01 responder. Closing it releases all of it.
 */
final class PebbleRun implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration MANAGEMENT_TIMEOUT = Duration.ofSeconds(10);

    private final WorkDirectory workDirectory;
    private final TlsMaterial tls;
    private final LoopbackTrust trust;
    private final PebbleProcesses processes;
    private final ManagementClient management;
    private final ChallengeTestServer dns;
    private final Thread shutdownHook;
    private Http01Responder http01Responder;

    private PebbleRun(WorkDirectory workDirectory, TlsMaterial tls, LoopbackTrust trust,
            PebbleProcesses processes, HttpClient client) {
        this.workDirectory = workDirectory;
        this.tls = tls;
        this.trust = trust;
        this.processes = processes;
        this.management = new ManagementClient(client, managementUri(processes.ports()), MANAGEMENT_TIMEOUT);
        this.dns = ChallengeTestServer.of(URI.create("http://" + LoopbackPorts.LOOPBACK.getHostAddress() + ":"
                + processes.ports().dnsManagement() + "/"));
        this.shutdownHook = new Thread(processes::kill, "keyward-pebble-shutdown");
    }

    /** Checks the binaries, prepares the work directory and starts both processes. */
    static PebbleRun start(PebbleSettings settings) {
        Executables.Binaries binaries = Executables.locate(settings, System.getenv(),
                Path.of(System.getProperty("user.home")));

        Instant deadline = Instant.now().plus(settings.startupTimeout());
        WorkDirectory workDirectory = WorkDirectory.create(settings.workDirectory());
        try {
            TlsMaterial tls = TlsMaterial.generate(workDirectory.path());
            LoopbackTrust trust = LoopbackTrust.of(tls.caCertificate());
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(trust.sslContext())
                    .connectTimeout(Duration.ofSeconds(5))
                    .proxy(HttpClient.Builder.NO_PROXY)
                    .build();
            PebbleProcesses processes = PebbleProcesses.launch(settings, binaries, workDirectory.path(),
                    tls, client, deadline);
            PebbleRun run = new PebbleRun(workDirectory, tls, trust, processes, client);
            Runtime.getRuntime().addShutdownHook(run.shutdownHook);
            return run;
        } catch (RuntimeException | Error e) {
            workDirectory.release();
            throw e;
        }
    }

    Path workDirectory() {
        return workDirectory.path();
    }

    TlsMaterial tls() {
        return tls;
    }

    LoopbackTrust trust() {
        return trust;
    }

    PebblePorts ports() {
        return processes.ports();
    }

    URI directoryUri() {
        return processes.directoryUri();
    }

    URI managementUri() {
        return managementUri(processes.ports());
    }

    ManagementClient management() {
        return management;
    }

    ChallengeTestServer dns() {
        return dns;
    }

    /** The http-01 responder on Pebble's http-01 port, started on the first call. */
    synchronized Http01Responder http01Responder() {
        if (http01Responder == null) {
            http01Responder = Http01Responder.start(new InetSocketAddress(LoopbackPorts.LOOPBACK, ports().http01()));
        }
        return http01Responder;
    }

    /** Stops the responder and both processes, removes the hook and deletes a temporary work directory. */
    @Override
    public void close() {
        synchronized (this) {
            if (http01Responder != null) {
                http01Responder.close();
            }
        }
        boolean stopped = processes.stop(STOP_GRACE);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException jvmShuttingDown) {
            // The hook runs anyway and kills what is left.
        }
        if (stopped) {
            workDirectory.release();
        }
    }

    private static URI managementUri(PebblePorts ports) {
        return URI.create("https://" + LoopbackPorts.LOOPBACK.getHostAddress() + ":" + ports.management() + "/");
    }
}
