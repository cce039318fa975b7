package dev.keyward.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Containment;
import dev.keyward.acme.ContainmentReport;
import dev.keyward.acme.Http01Lookup;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.RevocationReason;
import dev.keyward.acme.Signers;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Keyward beside acme4j 4.x in one run against one Pebble, in-process, printed as markdown rows
 * {@code | figure | Keyward | acme4j default | acme4j fast |}. "acme4j default" is acme4j's
 * documented flow (its waits poll every 3 s when the CA sends no {@code Retry-After});
 * "acme4j fast" is the same flow polling every 50 ms, the protocol-bound reference
 * ({@link Acme4jFlow}). Each issuance is for a new name with a new EC P-256 certificate key; the
 * http-01 answers of both come from one responder ({@link LookupResponder}).
 *
 * <p>Rows:
 * <ul>
 *   <li>first issuance in a fresh JVM: a child JVM per client and run, which times from before its
 *       keys and its client are made to the chain (class loading and initialisation included), median;</li>
 *   <li>warm issuance (a new client and a new account each, after warm-up runs): mean, median
 *       and p95, the clients taking turns;</li>
 *   <li>certificates on one account from many threads: certificates per second, and the client's
 *       CPU per certificate (this process's CPU time, from {@link OperatingSystemMXBean}, over the
 *       run; the shared http-01 responder included); acme4j uses a session per thread;</li>
 *   <li>requests per issuance (fresh / warm / throughput), counted from Pebble's log
 *       ({@link PebbleRequestLog});</li>
 *   <li>containment of an account with N orders (half of them issued, revoked; the rest pending),
 *       Keyward only, with its default concurrency and one request at a time;</li>
 *   <li>the time to sign one JWS ({@link SignerOverhead}, in-memory EC P-256), beside one raw SunEC
 *       signature (Keyward signs in-memory EC keys through Bouncy Castle's lightweight ECDSA).</li>
 * </ul>
 *
 * <p>Usage: {@code InProcessTable --directory URL --trust PEBBLE_CA_PEM --http01-port PORT
 * --pebble-log FILE} against a running Pebble (validator without sleep, no nonce rejection, no
 * authorization reuse, for figures that compare), or without {@code --directory} to start a Pebble
 * 2.10 of its own through the test kit. Options: {@code --warm N} (20), {@code --certificates N}
 * (100), {@code --threads N} (16), {@code --orders N} (200), {@code --fresh-runs N} (3). Not a
 * test: it asserts nothing about time, and fails only when an issuance or a containment fails.
 */
public final class InProcessTable {
    private static final String CHILD_RESULT = "first-issuance-ms: ";
    private static final String TRUST_STORE_PASSWORD = "bench";
    private static final int WARM_UP_RUNS = 3;
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** The clients compared, in column order. */
    enum Client {
        KEYWARD("Keyward"), ACME4J_DEFAULT("acme4j default"), ACME4J_FAST("acme4j fast");

        final String label;

        Client(String label) {
            this.label = label;
        }
    }

    /** The CA: its directory, the PEM of its TLS trust anchors, its http-01 port and its log. */
    record Target(URI directory, Path trustPem, int http01Port, Path pebbleLog) {
    }

    private final Target target;
    private final Map<String, String> options;
    private final List<X509Certificate> anchors;
    private final PebbleRequestLog log;
    private final AtomicInteger names = new AtomicInteger();
    private final String runId = Long.toHexString(System.nanoTime() & 0xffffff);

    private InProcessTable(Target target, Map<String, String> options) throws Exception {
        this.target = target;
        this.options = options;
        this.anchors = readPem(target.trustPem());
        this.log = new PebbleRequestLog(target.pebbleLog());
    }

    /**
     * Runs the table.
     *
     * @param args the options above
     * @throws Exception when Pebble cannot start, or an issuance or a containment fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        if (options.containsKey("child")) {
            System.exit(child(options));
        }
        if (options.containsKey("directory")) {
            Target target = new Target(URI.create(options.get("directory")), Path.of(require(options, "trust")),
                    Integer.parseInt(require(options, "http01-port")), Path.of(require(options, "pebble-log")));
            new InProcessTable(target, options).run();
            return;
        }
        try (PebbleServer pebble = PebbleServer.builder().authorizationReusePercent(0).nonceRejectPercent(0)
                .vaNoSleep(true).build().start()) {
            Target target = new Target(pebble.directoryUri(), pebble.trustAnchorPemFile(), pebble.http01Port(),
                    pebble.workDirectory().resolve("pebble.log"));
            new InProcessTable(target, options).run();
        }
    }

    private int option(String name, int fallback) {
        return options.containsKey(name) ? Integer.parseInt(options.get(name)) : fallback;
    }

    private void run() throws Exception {
        int warm = option("warm", 20);
        int certificates = option("certificates", 100);
        int threads = option("threads", 16);
        int orders = option("orders", 200);
        int freshRuns = option("fresh-runs", 3);
        System.out.printf(Locale.ROOT, "In-process, against %s; Java %s; %d CPUs; load average %.2f at the start%n",
                target.directory(), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                OS.getSystemLoadAverage());

        Map<Client, List<Double>> fresh = new HashMap<>();
        Map<Client, List<Double>> freshRequests = new HashMap<>();
        Map<Client, List<String>> freshKinds = new HashMap<>();
        Path trustStore = trustStore(target.trustPem());
        for (int run = 0; run < freshRuns; run++) {
            for (Client client : Client.values()) {
                long mark = log.mark();
                fresh.computeIfAbsent(client, c -> new ArrayList<>()).add(childRun(client, trustStore));
                Map<String, Integer> kinds = log.requestsSince(mark);
                freshRequests.computeIfAbsent(client, c -> new ArrayList<>()).add((double) PebbleRequestLog.total(kinds));
                freshKinds.computeIfAbsent(client, c -> new ArrayList<>()).add(kinds.toString());
            }
        }

        // acme4j trusts the CA through the JVM's default SSLContext; Keyward through trustAnchors.
        javax.net.ssl.SSLContext.setDefault(sslContext(anchors));
        Security.addProvider(new BouncyCastleProvider());
        Map<Client, List<Double>> warmMillis = new HashMap<>();
        Map<Client, List<Double>> warmRequests = new HashMap<>();
        Map<Client, double[]> throughput = new HashMap<>();
        ContainmentFigures contained;
        ContainmentFigures containedOneByOne;
        try (LookupResponder responder = new LookupResponder(target.http01Port())) {
            for (int i = 0; i < WARM_UP_RUNS; i++) {
                for (Client client : Client.values()) {
                    issueWithNewAccount(client, responder.lookup);
                }
            }
            for (int i = 0; i < warm; i++) {
                for (int k = 0; k < Client.values().length; k++) {
                    Client client = Client.values()[(i + k) % Client.values().length];
                    long mark = log.mark();
                    long start = System.nanoTime();
                    issueWithNewAccount(client, responder.lookup);
                    warmMillis.computeIfAbsent(client, c -> new ArrayList<>()).add(millisSince(start));
                    warmRequests.computeIfAbsent(client, c -> new ArrayList<>())
                            .add((double) PebbleRequestLog.total(log.requestsSince(mark)));
                }
            }
            KeywardAccount keywardAccount = null;
            for (Client client : Client.values()) {
                long mark = log.mark();
                Throughput figures = throughput(client, responder.lookup, certificates, threads);
                double requests = (double) PebbleRequestLog.total(log.requestsSince(mark)) / certificates;
                throughput.put(client, new double[] {figures.perSecond, figures.cpuMillisPerCertificate, requests,
                        figures.pebbleCpuMillisPerCertificate});
                if (figures.keyward != null) {
                    keywardAccount = figures.keyward;
                }
            }
            contained = contain(keywardAccount, orders, Containment.DEFAULT_CONCURRENCY, responder.lookup, threads);
            Throughput second = throughput(Client.KEYWARD, responder.lookup, Math.min(certificates, orders / 2),
                    threads);
            containedOneByOne = contain(second.keyward, orders, 1, responder.lookup, threads);
        }
        Files.deleteIfExists(trustStore);
        SignerOverhead.Measured signing;
        try (SignerOverhead.Row row = SignerOverhead.inMemoryEcP256()) {
            signing = SignerOverhead.measured(row, 60);
        }

        System.out.println();
        System.out.println("| figure | Keyward | acme4j default | acme4j fast |");
        System.out.println("|---|---|---|---|");
        row("first issuance in a fresh JVM, keys + client created → chain, median of " + freshRuns,
                c -> ms(Stats.median(fresh.get(c))));
        row("warm issuance (new client + new account each), mean / median / p95 of " + warm,
                c -> ms(mean(warmMillis.get(c))) + " / " + ms(Stats.median(warmMillis.get(c))) + " / "
                        + ms(p95(warmMillis.get(c))));
        row(certificates + " certificates, " + threads + " threads, one account: certificates/s, client CPU per"
                + " certificate", c -> String.format(Locale.ROOT, "%.1f /s, %.0f ms", throughput.get(c)[0],
                throughput.get(c)[1]));
        row("Pebble's CPU per certificate in that run (its bound: 1000 ms x CPUs / this = certificates/s)",
                c -> throughput.get(c)[3] < 0 ? "unknown" : String.format(Locale.ROOT, "%.0f ms", throughput.get(c)[3]));
        row("requests per issuance (fresh / warm / throughput)", c -> String.format(Locale.ROOT, "%.0f / %.1f / %.1f",
                Stats.median(freshRequests.get(c)), mean(warmRequests.get(c)), throughput.get(c)[2]));
        System.out.printf(Locale.ROOT, "| containment of an account with %d orders (%d issued, revoked), concurrency %d"
                        + " / 1 | %.2f s / %.2f s (%d / %d requests) | — | — |%n", contained.orders, contained.issued,
                Containment.DEFAULT_CONCURRENCY, contained.seconds, containedOneByOne.seconds, contained.requests,
                containedOneByOne.requests);
        System.out.printf(Locale.ROOT, "| signing per JWS (in-memory EC P-256): Keyward's whole signed request, and one raw"
                        + " signature by the JDK's SunEC | %.1f µs per signed request (SunEC raw: %.1f µs; JWS − raw: %+.1f µs)"
                        + " | — | — |%n", signing.jwsMicros(), signing.jwsMicros() - signing.differenceMicros(),
                signing.differenceMicros());
        System.out.println();
        for (Client c : Client.values()) {
            System.out.printf(Locale.ROOT, "%s: fresh runs %s ms, requests %s; warm runs %s ms%n", c.label,
                    fresh.get(c), freshKinds.get(c), warmMillis.get(c));
        }
        System.out.printf(Locale.ROOT, "ratios: warm median Keyward / acme4j fast = %.2f; fresh Keyward / acme4j fast"
                        + " = %.2f; throughput Keyward / acme4j fast = %.2f, / acme4j default = %.2f%n",
                Stats.median(warmMillis.get(Client.KEYWARD)) / Stats.median(warmMillis.get(Client.ACME4J_FAST)),
                Stats.median(fresh.get(Client.KEYWARD)) / Stats.median(fresh.get(Client.ACME4J_FAST)),
                throughput.get(Client.KEYWARD)[0] / throughput.get(Client.ACME4J_FAST)[0],
                throughput.get(Client.KEYWARD)[0] / throughput.get(Client.ACME4J_DEFAULT)[0]);
        System.out.printf(Locale.ROOT, "load average at the end %.2f%n", OS.getSystemLoadAverage());
    }

    private interface Cell {
        String of(Client client);
    }

    private static void row(String figure, Cell cell) {
        StringBuilder sb = new StringBuilder("| ").append(figure);
        for (Client client : Client.values()) {
            sb.append(" | ").append(cell.of(client));
        }
        System.out.println(sb.append(" |"));
    }

    private static String ms(double millis) {
        return millis >= 1000 ? String.format(Locale.ROOT, "%.2f s", millis / 1000)
                : String.format(Locale.ROOT, "%.0f ms", millis);
    }

    private String nextName(String label) {
        return label + "-" + runId + "-" + names.incrementAndGet() + ".keyward.test";
    }

    // ---- one issuance with a new client and a new account

    private void issueWithNewAccount(Client client, Http01Lookup lookup) throws Exception {
        String name = nextName(client == Client.KEYWARD ? "kw" : "a4j");
        X509Certificate leaf;
        if (client == Client.KEYWARD) {
            try (AcmeClient acme = AcmeClient.builder(target.directory()).trustAnchors(anchors).build()) {
                leaf = IssuanceFlow.issue(acme, lookup, signer(Acme4jFlow.ecP256()), List.of(name),
                        signer(Acme4jFlow.ecP256())).leaf();
            }
        } else {
            Acme4jFlow flow = new Acme4jFlow(mode(client), lookup);
            leaf = flow.issue(flow.newAccount(target.directory(), Acme4jFlow.ecP256()), name);
        }
        requireNames(leaf, name, client);
    }

    private static Acme4jFlow.Mode mode(Client client) {
        return client == Client.ACME4J_FAST ? Acme4jFlow.Mode.FAST : Acme4jFlow.Mode.DEFAULT;
    }

    private static void requireNames(X509Certificate leaf, String name, Client client) throws Exception {
        if (leaf.getSubjectAlternativeNames() == null
                || leaf.getSubjectAlternativeNames().stream().noneMatch(san -> name.equals(san.get(1)))) {
            throw new IllegalStateException(client.label + "'s certificate does not name " + name);
        }
    }

    private static AcmeSigner signer(KeyPair pair) {
        return Signers.jca(pair.getPrivate(), pair.getPublic());
    }

    // ---- throughput on one account

    /** Keyward's account of a throughput run, reused by the containment row. */
    record KeywardAccount(AcmeClient client, AcmeSigner key, Account account, int issued) {
    }

    private record Throughput(double perSecond, double cpuMillisPerCertificate, double pebbleCpuMillisPerCertificate,
                              KeywardAccount keyward) {
    }

    private interface Issue {
        void issue(String name) throws Exception;
    }

    private Throughput throughput(Client client, Http01Lookup lookup, int certificates, int threads)
            throws Exception {
        List<Issue> perThread = new ArrayList<>();
        KeywardAccount keyward = null;
        if (client == Client.KEYWARD) {
            AcmeClient acme = AcmeClient.builder(target.directory()).trustAnchors(anchors).build();
            AcmeSigner key = signer(Acme4jFlow.ecP256());
            Account account = acme.newAccount(key).agreeToTermsOfService().create();
            keyward = new KeywardAccount(acme, key, account, certificates);
            for (int t = 0; t < threads; t++) {
                perThread.add(name -> requireNames(account.issue(IssuanceRequest.builder().domains(List.of(name))
                        .certificateKey(signer(Acme4jFlow.ecP256())).solvers(lookup).build()).chain().leaf(), name,
                        client));
            }
        } else {
            Acme4jFlow flow = new Acme4jFlow(mode(client), lookup);
            KeyPair key = Acme4jFlow.ecP256();
            URL accountUrl = flow.newAccount(target.directory(), key).getLocation();
            for (int t = 0; t < threads; t++) {
                org.shredzone.acme4j.Account account = flow.login(target.directory(), accountUrl, key);
                perThread.add(name -> requireNames(flow.issue(account, name), name, client));
            }
        }
        AtomicInteger left = new AtomicInteger(certificates);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        double pebbleStart = pebbleCpuMillis();
        long cpuStart = OS.getProcessCpuTime();
        long start = System.nanoTime();
        try {
            List<Future<Void>> running = new ArrayList<>();
            for (Issue issue : perThread) {
                running.add(pool.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        issue.issue(nextName("tp"));
                    }
                    return null;
                }));
            }
            for (Future<Void> f : running) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = millisSince(start) / 1000;
        double cpuMillis = (OS.getProcessCpuTime() - cpuStart) / 1e6;
        double pebbleEnd = pebbleCpuMillis();
        double pebblePerCertificate = pebbleStart < 0 || pebbleEnd < 0 ? -1 : (pebbleEnd - pebbleStart) / certificates;
        return new Throughput(certificates / seconds, cpuMillis / certificates, pebblePerCertificate, keyward);
    }

    // ---- Pebble's CPU

    /**
     * Pebble's process, found by its {@code -config} file in the folder of its log (the test
     * kit's layout), or empty when it cannot be told apart from other Pebbles.
     */
    private java.util.Optional<ProcessHandle> pebbleProcess() {
        String folder = target.pebbleLog().toAbsolutePath().getParent().toString();
        return ProcessHandle.allProcesses().filter(p -> p.info().command().orElse("").endsWith("pebble"))
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(folder)).orElse(false))
                .findFirst();
    }

    /** Pebble's CPU time so far in milliseconds, from /proc, or -1 when unknown. */
    private double pebbleCpuMillis() {
        java.util.Optional<ProcessHandle> pebble = pebbleProcess();
        if (pebble.isEmpty()) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pebble.get().pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second).
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    // ---- containment

    private record ContainmentFigures(int orders, int issued, double seconds, int requests) {
    }

    /** Adds pending orders to the account up to {@code orders}, then contains it and times that. */
    private ContainmentFigures contain(KeywardAccount keyward, int orders, int concurrency, Http01Lookup lookup,
                                       int threads) throws Exception {
        int pending = Math.max(0, orders - keyward.issued());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Object>> created = new ArrayList<>();
            for (int i = 0; i < pending; i++) {
                created.add(pool.submit(() -> keyward.account().newOrder().domains(nextName("pending")).create()));
            }
            for (Future<Object> f : created) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        long mark = log.mark();
        long start = System.nanoTime();
        ContainmentReport report;
        try (AcmeClient client = AcmeClient.builder(target.directory()).trustAnchors(anchors).build()) {
            report = Containment.builder(client, keyward.key()).concurrency(concurrency)
                    .revokeCertificates(RevocationReason.KEY_COMPROMISE).deactivateAccount().build().run();
        }
        double seconds = millisSince(start) / 1000;
        int requests = PebbleRequestLog.total(log.requestsSince(mark));
        keyward.client().close();
        int found = report.items(ContainmentReport.Step.ORDERS_LIST).isEmpty() ? 0
                : Integer.parseInt(report.items(ContainmentReport.Step.ORDERS_LIST).get(0).detail().split(" ")[0]);
        if (!report.complete() || found != keyward.issued() + pending) {
            throw new IllegalStateException("containment of " + (keyward.issued() + pending) + " orders is not complete"
                    + " (found " + found + "):\n" + report);
        }
        return new ContainmentFigures(found, report.items(ContainmentReport.Step.CERTIFICATE_REVOCATION).size(),
                seconds, requests);
    }

    // ---- first issuance in a fresh JVM

    /** Runs one issuance in a child JVM; returns the milliseconds it reported. */
    private double childRun(Client client, Path trustStore) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        if (client != Client.KEYWARD) {
            command.addAll(List.of("-Djavax.net.ssl.trustStore=" + trustStore,
                    "-Djavax.net.ssl.trustStorePassword=" + TRUST_STORE_PASSWORD,
                    "-Djavax.net.ssl.trustStoreType=PKCS12"));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), InProcessTable.class.getName(),
                "--child", client.name(), "--directory", target.directory().toString(), "--trust",
                target.trustPem().toString(), "--http01-port", String.valueOf(target.http01Port()), "--name",
                nextName("fresh")));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(client.label + "'s child JVM failed:\n" + output);
        }
        for (String line : output.split("\n")) {
            if (line.startsWith(CHILD_RESULT)) {
                return Double.parseDouble(line.substring(CHILD_RESULT.length()).trim());
            }
        }
        throw new IllegalStateException(client.label + "'s child JVM reported nothing:\n" + output);
    }

    /** The child JVM: one issuance, timed from before its keys and client are made to the chain. */
    private static int child(Map<String, String> options) throws Exception {
        Client client = Client.valueOf(options.get("child"));
        URI directory = URI.create(require(options, "directory"));
        String name = require(options, "name");
        List<X509Certificate> anchors = client == Client.KEYWARD ? readPem(Path.of(require(options, "trust")))
                : List.of();
        try (LookupResponder responder = new LookupResponder(Integer.parseInt(require(options, "http01-port")))) {
            long start = System.nanoTime();
            X509Certificate leaf;
            if (client == Client.KEYWARD) {
                try (AcmeClient acme = AcmeClient.builder(directory).trustAnchors(anchors).build()) {
                    leaf = IssuanceFlow.issue(acme, responder.lookup, signer(Acme4jFlow.ecP256()), List.of(name),
                            signer(Acme4jFlow.ecP256())).leaf();
                }
            } else {
                // As acme4j's documentation does: its CSRBuilder needs Bouncy Castle.
                Security.addProvider(new BouncyCastleProvider());
                Acme4jFlow flow = new Acme4jFlow(mode(client), responder.lookup);
                leaf = flow.issue(flow.newAccount(directory, Acme4jFlow.ecP256()), name);
            }
            double millis = millisSince(start);
            requireNames(leaf, name, client);
            System.out.println(CHILD_RESULT + millis);
        }
        return 0;
    }

    // ---- helpers

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** The nearest-rank 95th percentile. */
    private static double p95(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1);
    }

    private static List<X509Certificate> readPem(Path pem) throws Exception {
        List<X509Certificate> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(pem)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no certificate in " + pem);
        }
        return out;
    }

    private static javax.net.ssl.SSLContext sslContext(List<X509Certificate> anchors) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < anchors.size(); i++) {
            store.setCertificateEntry("ca-" + i, anchors.get(i));
        }
        javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /** A PKCS#12 trust store of the CA's PEM, for acme4j's child JVMs. */
    private static Path trustStore(Path pem) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int i = 0;
        for (X509Certificate anchor : readPem(pem)) {
            store.setCertificateEntry("ca-" + i++, anchor);
        }
        Path file = Files.createTempFile("keyward-bench-trust", ".p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, TRUST_STORE_PASSWORD.toCharArray());
        }
        return file;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: InProcessTable [--directory URL --trust PEM --http01-port"
                        + " PORT --pebble-log FILE] [--warm N] [--certificates N] [--threads N] [--orders N]"
                        + " [--fresh-runs N]; not understood: " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required with --directory");
        }
        return value;
    }
}
