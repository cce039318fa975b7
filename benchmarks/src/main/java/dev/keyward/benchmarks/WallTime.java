package dev.keyward.benchmarks;

import dev.keyward.acme.testkit.PebbleServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Compares the whole-process wall time of one issuance, from launching the JVM to the certificate
 * on disk, of the {@code keyward} CLI ({@code examples/target/keyward.jar}) and of acme4j 4.x
 * ({@link Acme4jIssue}, run with this module's runtime classpath). One Pebble serves every run; the
 * clients take turns, each run with a fresh account key, account and name, and each binds its own
 * http-01 responder on 127.0.0.1 at Pebble's http-01 port. Every run must exit 0 and leave a chain
 * whose leaf names the requested name, or the harness fails. Each run's requests are counted from
 * Pebble's own log ({@link PebbleRequestLog}), so neither client is instrumented.
 *
 * <p>Usage: {@code WallTime [N [WARMUP]]}: N measured runs of each client (default 5), after WARMUP
 * unmeasured runs of each (default 1) that load the jars into the page cache. The keyward jar can
 * be named with {@code -Dkeyward.jar=PATH}. Not a test: it prints figures and asserts nothing about
 * them.
 */
public final class WallTime {
    private static final long RUN_TIMEOUT_SECONDS = 180;
    private static final String TRUST_STORE_PASSWORD = "changeit";

    private WallTime() {
    }

    /** The clients under measurement, in the order they take turns. */
    private enum Client {
        KEYWARD("keyward"), ACME4J("acme4j");

        final String label;

        Client(String label) {
            this.label = label;
        }
    }

    /**
     * Runs the harness.
     *
     * @param args optionally N (default 5) and the number of warm-up runs (default 1)
     * @throws Exception when Pebble cannot start or a run fails
     */
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        if (runs < 1 || warmups < 0) {
            throw new IllegalArgumentException("N must be at least 1 and WARMUP at least 0");
        }
        Path target = moduleTarget();
        Path keywardJar = Path.of(System.getProperty("keyward.jar",
                target.resolve("../../examples/target/keyward.jar").normalize().toString()));
        Path classpathFile = target.resolve("classpath.txt");
        requireFile(keywardJar, "build it with ./mvnw -o install -DskipTests (or pass -Dkeyward.jar=PATH)");
        requireFile(classpathFile, "build the benchmarks module with ./mvnw -o install -DskipTests");
        String acme4jClasspath = target.resolve("classes") + java.io.File.pathSeparator
                + Files.readString(classpathFile).trim();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        Path work = Files.createTempDirectory("keyward-walltime-");
        SecureRandom random = new SecureRandom();
        Map<Client, List<Measured>> results = new EnumMap<>(Client.class);
        for (Client client : Client.values()) {
            results.put(client, new ArrayList<>());
        }
        List<Long> acme4jWaits = new ArrayList<>();
        try (PebbleServer pebble = PebbleServer.builder().build().start()) {
            Path trustStore = trustStore(pebble.trustAnchorPemFile(), work.resolve("pebble-ca.p12"));
            String directory = pebble.directoryUri().toString();
            String port = Integer.toString(pebble.http01Port());
            System.out.println("Pebble at " + directory + ", http-01 port " + port + "; java " + java);
            System.out.println("keyward: " + keywardJar);
            System.out.println("acme4j:  " + Acme4jIssue.class.getName() + " with "
                    + Path.of(org.shredzone.acme4j.Session.class.getProtectionDomain().getCodeSource().getLocation()
                            .toURI()).getFileName());
            System.out.println(warmups + " warm-up and " + runs + " measured runs of each, alternating");
            PebbleRequestLog requestLog = new PebbleRequestLog(pebble.workDirectory().resolve("pebble.log"));
            for (int round = 1 - warmups; round <= runs; round++) {
                for (Client client : Client.values()) {
                    byte[] suffix = new byte[4];
                    random.nextBytes(suffix);
                    String tag = round < 1 ? "warmup" + (round + warmups) : Integer.toString(round);
                    String name = "wt-" + client.label + "-" + tag + "-" + HexFormat.of().formatHex(suffix)
                            + ".keyward.test";
                    Path outDir = work.resolve(client.label + "-" + tag);
                    List<String> command = client == Client.KEYWARD
                            ? keywardCommand(java, keywardJar, directory, pebble.trustAnchorPemFile(), name, port, outDir)
                            : acme4jCommand(java, acme4jClasspath, trustStore, directory, name, port, outDir);
                    Path log = work.resolve(client.label + "-" + tag + ".log");
                    long mark = requestLog.mark();
                    long millis = launch(command, log);
                    verifyCertificate(outDir.resolve("chain.pem"), name, client.label);
                    Map<String, Integer> requests = requestLog.requestsSince(mark);
                    String note = "";
                    if (client == Client.ACME4J) {
                        long waited = reportedWaits(log);
                        note = ", " + waited + " ms of it in acme4j's waits";
                        if (round >= 1) {
                            acme4jWaits.add(waited);
                        }
                    }
                    System.out.printf("%-7s %-8s %5d ms  %2d requests  %s%s%n", client.label,
                            round < 1 ? "warm-up" : "run " + round, millis, PebbleRequestLog.total(requests), name,
                            note);
                    if (round >= 1) {
                        results.get(client).add(new Measured(millis, requests));
                    }
                }
            }
        } finally {
            deleteRecursively(work);
        }
        System.out.println();
        System.out.println("Wall time, JVM start to certificate on disk (" + runs + " runs each):");
        for (Client client : Client.values()) {
            List<Long> times = new ArrayList<>();
            List<Integer> totals = new ArrayList<>();
            Map<String, Integer> byKind = new TreeMap<>();
            for (Measured m : results.get(client)) {
                times.add(m.millis);
                totals.add(PebbleRequestLog.total(m.requests));
                m.requests.forEach((key, count) -> byKind.merge(key, count, Integer::sum));
            }
            System.out.printf("  %-7s  median %6.0f ms  (min %.0f, max %.0f)  runs %s%n", client.label,
                    Stats.median(times), Stats.min(times), Stats.max(times), times);
            System.out.printf("  %-7s  requests per run %s, by kind over all runs (Pebble's log) %s%n", "",
                    totals, byKind);
        }
        double ratio = Stats.median(times(results.get(Client.ACME4J))) / Stats.median(times(results.get(Client.KEYWARD)));
        System.out.printf("  ratio acme4j / keyward (medians): %.2f%n", ratio);
        System.out.printf("  acme4j's waits (challenge, ready, completion): median %.0f ms  runs %s%n",
                Stats.median(acme4jWaits), acme4jWaits);
    }

    /** One measured run: its wall time and the requests Pebble logged meanwhile. */
    private record Measured(long millis, Map<String, Integer> requests) {
    }

    private static List<Long> times(List<Measured> runs) {
        List<Long> times = new ArrayList<>();
        for (Measured m : runs) {
            times.add(m.millis);
        }
        return times;
    }

    /** The CLI's {@code issue}, with its own http-01 responder on loopback {@code port}. */
    private static List<String> keywardCommand(String java, Path jar, String directory, Path trustPem, String name,
                                               String port, Path outDir) {
        return List.of(java, "-jar", jar.toString(), "--directory", directory, "--trust", trustPem.toString(),
                "issue", "-d", name, "--http01-port", port, "--out", outDir.toString());
    }

    /** {@link Acme4jIssue} in a JVM whose default trust store is {@code trustStore}. */
    private static List<String> acme4jCommand(String java, String classpath, Path trustStore, String directory,
                                              String name, String port, Path outDir) {
        return List.of(java, "-Djavax.net.ssl.trustStore=" + trustStore,
                "-Djavax.net.ssl.trustStorePassword=" + TRUST_STORE_PASSWORD, "-Djavax.net.ssl.trustStoreType=PKCS12",
                "-cp", classpath, Acme4jIssue.class.getName(), directory, name, port, outDir.toString());
    }

    /** Runs a command to its end, output to {@code log}; returns its wall time in milliseconds. */
    private static long launch(List<String> command, Path log) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        long start = System.nanoTime();
        Process process = builder.start();
        boolean exited = process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (!exited) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("no exit within " + RUN_TIMEOUT_SECONDS + " s: " + String.join(" ", command)
                    + "\n" + Files.readString(log));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("exit code " + process.exitValue() + ": " + String.join(" ", command)
                    + "\n" + Files.readString(log));
        }
        return millis;
    }

    /** The milliseconds {@link Acme4jIssue} reported spending in acme4j's waits. */
    private static long reportedWaits(Path log) throws IOException {
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith(Acme4jIssue.WAITED_PREFIX)) {
                return Long.parseLong(line.substring(Acme4jIssue.WAITED_PREFIX.length()).trim());
            }
        }
        throw new IllegalStateException("Acme4jIssue did not report its waits in " + log);
    }

    /** Fails unless {@code chain} holds certificates, the first naming {@code name}. */
    private static void verifyCertificate(Path chain, String name, String client)
            throws IOException, GeneralSecurityException {
        if (!Files.isRegularFile(chain)) {
            throw new IllegalStateException(client + " exited 0 but wrote no " + chain);
        }
        List<Certificate> certificates;
        try (InputStream in = Files.newInputStream(chain)) {
            certificates = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
        if (certificates.isEmpty()) {
            throw new IllegalStateException(client + " wrote no certificate into " + chain);
        }
        X509Certificate leaf = (X509Certificate) certificates.get(0);
        boolean named = leaf.getSubjectAlternativeNames() != null && leaf.getSubjectAlternativeNames().stream()
                .anyMatch(san -> name.equals(san.get(1)));
        if (!named) {
            throw new IllegalStateException(client + "'s certificate in " + chain + " does not name " + name
                    + ": " + leaf.getSubjectAlternativeNames());
        }
    }

    /** A PKCS#12 trust store holding the certificates of a PEM file, for acme4j's JVM. */
    private static Path trustStore(Path pem, Path store) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                keyStore.setCertificateEntry("pebble-ca-" + i++, certificate);
            }
        }
        try (OutputStream out = Files.newOutputStream(store)) {
            keyStore.store(out, TRUST_STORE_PASSWORD.toCharArray());
        }
        return store;
    }

    /** This module's {@code target} folder, found from where this class was loaded. */
    private static Path moduleTarget() throws URISyntaxException {
        Path classes = Path.of(WallTime.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return classes.getParent();
    }

    private static void requireFile(Path file, String hint) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: " + hint);
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}
