package dev.keyward.examples.cli;

import dev.keyward.acme.manager.EventListener;
import dev.keyward.acme.manager.ManagedCertificate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What {@code renew} and {@code run} do when the manager has a certificate for a set: write
 * {@code cert.pem}, {@code chain.pem} and (for a key the manager generated) {@code key.pem} into the
 * set's {@code out} directory with {@link OutputFiles} (a new version switched in at once, so the three
 * change together or not at all),
 * then run the set's deploy hook, {@code sh -c COMMAND}, with {@code KEYWARD_SET}, {@code KEYWARD_CERT},
 * {@code KEYWARD_CHAIN}, {@code KEYWARD_KEY} (empty for an HSM or KMS key) and {@code KEYWARD_OUT} in
 * its environment, its output copied to stderr, killed after {@code hook-timeout}. A certificate loaded
 * from the state that the {@code out} directory does not hold (a crash between the two, or a new
 * {@code out}) is written too. Also prints the manager's events to stderr, one line each.
 */
final class Deployment implements EventListener {
    private final ManagerConfig config;
    private final PrintStream err;
    private final boolean timestamps;
    private final boolean dryRun;
    private final Map<String, String> failures = new ConcurrentHashMap<>();

    Deployment(ManagerConfig config, PrintStream err, boolean timestamps, boolean dryRun) {
        this.config = config;
        this.err = err;
        this.timestamps = timestamps;
        this.dryRun = dryRun;
    }

    /** The failure of the last deployment of a set, if it failed; cleared by a success. */
    Optional<String> failure(String set) {
        return Optional.ofNullable(failures.get(set));
    }

    @Override
    public void certificateLoaded(String set, ManagedCertificate certificate) {
        ManagerConfig.Cert cert = cert(set);
        try {
            Path file = cert.out().resolve("cert.pem");
            if (Files.isRegularFile(file) && CertificateFiles.leaf(file, "out").equals(certificate.leaf())) {
                return;
            }
        } catch (ConfigException e) {
            // unreadable: written again below
        }
        if (dryRun) {
            say(set + ": " + cert.out() + " does not hold the stored certificate; would write it");
            return;
        }
        say(set + ": " + cert.out() + " does not hold the stored certificate; writing it");
        deploy(set, certificate);
    }

    @Override
    public void certificateReplaced(String set, Optional<ManagedCertificate> previous, ManagedCertificate current) {
        deploy(set, current);
    }

    @Override
    public void issuanceStarted(String set, Optional<ManagedCertificate> replacing) {
        if (timestamps) {
            say(set + ": " + (replacing.isPresent() ? "renewing" : "issuing"));
        }
    }

    @Override
    public void issuanceFailed(String set, Exception failure, int consecutiveFailures, Instant nextAttempt) {
        say(set + ": issuance failed (" + consecutiveFailures + " in a row): " + ExitCodes.oneLine(failure.getMessage())
                + (timestamps ? "; next attempt at " + nextAttempt : ""));
    }

    @Override
    public void renewalScheduled(String set, Instant at, String basis) {
        if (timestamps) {
            say(set + ": renewal scheduled at " + at + " (" + basis + ")");
        }
    }

    @Override
    public void renewalInfoFailed(String set, Exception failure) {
        say(set + ": renewal information (ARI) unavailable: " + ExitCodes.oneLine(failure.getMessage()));
    }

    @Override
    public void expiryWarning(String set, ManagedCertificate certificate, Duration remaining, Duration threshold) {
        say(set + ": WARNING: the certificate expires at " + certificate.notAfter() + " and is not renewed yet");
    }

    /** Writes the set's files and runs its hook; a failure is printed and remembered. */
    void deploy(String set, ManagedCertificate certificate) {
        ManagerConfig.Cert cert = cert(set);
        Optional<PrivateKey> key = certificate.generatedKey();
        try {
            OutputFiles.open(cert.out(), err).commit(certificate.chain(),
                    key.map(k -> new KeyPair(certificate.leaf().getPublicKey(), k)),
                    config.cas().get(cert.ca()).directory(), new PrintStream(OutputStream.nullOutputStream()));
        } catch (ConfigException e) {
            fail(set, "writing " + cert.out() + " failed: " + e.getMessage());
            return;
        }
        if (timestamps) {
            say(set + ": wrote " + cert.out() + " (serial " + certificate.leaf().getSerialNumber().toString(16)
                    + ", valid until " + certificate.notAfter() + ")");
        }
        String hook = cert.hook().orElse(config.hook());
        if (hook != null) {
            Optional<String> failed = runHook(set, cert, hook, key.isPresent());
            if (failed.isPresent()) {
                fail(set, failed.get());
                return;
            }
        }
        failures.remove(set);
    }

    private Optional<String> runHook(String set, ManagerConfig.Cert cert, String hook, boolean keyFile) {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", hook).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("KEYWARD_SET", set);
        env.put("KEYWARD_OUT", cert.out().toString());
        env.put("KEYWARD_CERT", cert.out().resolve("cert.pem").toString());
        env.put("KEYWARD_CHAIN", cert.out().resolve("chain.pem").toString());
        env.put("KEYWARD_KEY", keyFile ? cert.out().resolve("key.pem").toString() : "");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return Optional.of("the hook did not start: " + e.getMessage());
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the hook reads no input
        }
        Thread copier = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    say(set + ": hook: " + ExitCodes.escape(line));
                }
            } catch (IOException ignored) {
                // the hook's output ended
            }
        }, "keyward-hook-output");
        copier.setDaemon(true);
        copier.start();
        try {
            if (!process.waitFor(config.hookTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return Optional.of("the hook did not finish within " + config.hookTimeout().toSeconds() + " s; killed");
            }
            copier.join(1000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while the hook ran");
        }
        int code = process.exitValue();
        if (code != 0) {
            return Optional.of("the hook exited with " + code);
        }
        if (timestamps) {
            say(set + ": hook ran");
        }
        return Optional.empty();
    }

    private void fail(String set, String message) {
        failures.put(set, message);
        say(set + ": " + message);
    }

    private ManagerConfig.Cert cert(String set) {
        return config.certificates().stream().filter(c -> c.name().equals(set)).findFirst().orElseThrow();
    }

    private void say(String line) {
        synchronized (err) {
            err.println((timestamps ? Instant.now() + " " : "") + line);
            err.flush();
        }
    }

    @Override
    public String toString() {
        return "Deployment" + Arrays.toString(config.certificates().stream().map(ManagerConfig.Cert::name).toArray());
    }
}
