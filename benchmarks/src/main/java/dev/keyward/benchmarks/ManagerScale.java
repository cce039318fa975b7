package dev.keyward.benchmarks;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.manager.AcmeCa;
import dev.keyward.acme.manager.CertificateManager;
import dev.keyward.acme.manager.CertificateSet;
import dev.keyward.acme.manager.CertificateStorage;
import dev.keyward.acme.manager.RenewalInfoSource;
import dev.keyward.acme.manager.RenewalWindow;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Scale of the certificate manager: one manager keeping N certificate sets (default 10,000) loaded
 * from a file storage. The certificates are self-issued by a local EC P-256 CA (leaf plus the CA
 * certificate, 90-day lifetimes with issue dates spread over the last 50 days) and written into a
 * {@link CertificateStorage#files file storage} in the manager's documented layout first: issuing
 * 10,000 at Pebble would measure Pebble, not the manager. Renewal windows (RFC 9773) come from a
 * {@link RenewalInfoSource} that answers as a CA would, without the network: a two-day window
 * centred at two thirds of the lifetime. Prints: heap after a full GC with the manager serving
 * every set (and without it), start-up time to serving all, scheduling cost per set, and how the
 * scheduled renewals spread over their windows and over time.
 *
 * <p>Usage: {@code ManagerScale [sets] [storage directory]}; an existing directory with the same
 * number of sets is reused. Run with {@code -Xmx} well above the figure (the heap is measured,
 * not limited). Not a test: it asserts nothing.
 */
public final class ManagerScale {
    private static final Duration LIFETIME = Duration.ofDays(90);
    private static final Duration ISSUED_OVER = Duration.ofDays(50);

    private ManagerScale() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args sets (default 10000), storage directory (default a new temporary one)
     * @throws Exception when generation or the storage fails
     */
    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path directory = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("keyward-scale");
        Instant now = Instant.now();
        Path marker = directory.resolve("generated-" + count);
        if (!Files.exists(marker)) {
            long t0 = System.nanoTime();
            generate(directory, count, now);
            Files.writeString(marker, now.toString());
            System.out.printf("generated %d self-issued certificates and keys into %s in %.1f s%n", count, directory,
                    (System.nanoTime() - t0) / 1e9);
        }

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long baseline = heapAfterGc(memory);
        RenewalInfoSource ari = (AcmeClient client, X509Certificate leaf) -> Optional.of(window(leaf));
        AcmeCa ca = AcmeCa.builder(URI.create("https://ca.scale.keyward.test/dir")).build();
        long t0 = System.nanoTime();
        CertificateManager.Builder builder = CertificateManager.builder()
                .storage(CertificateStorage.files(directory)).renewalInfoSource(ari);
        for (int i = 0; i < count; i++) {
            builder.add(CertificateSet.builder(setName(i)).domains(domain(i)).ca(ca).http01().build());
        }
        CertificateManager manager = builder.build();
        long built = System.nanoTime();
        manager.start();
        long started = System.nanoTime();
        long served = manager.setNames().stream().filter(s -> manager.certificate(s).isPresent()).count();
        System.out.printf("%n== ManagerScale: %d sets ==%n", count);
        System.out.printf("build (sets added): %.2f s; start() to serving all %d/%d sets (load, renewal windows,"
                + " schedules): %.2f s (%.0f us per set)%n", (built - t0) / 1e9, served, count,
                (started - built) / 1e9, (started - built) / 1e3 / count);

        long heap = heapAfterGc(memory);
        System.out.printf("heap after full GC: %.1f MB with the manager serving all (%.1f MB before it was built;"
                + " %.1f KB per set)%n", heap / 1e6, baseline / 1e6, (heap - baseline) / 1e3 / count);

        int rounds = 20;
        long r0 = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            manager.runDueWork();
        }
        double perRound = (System.nanoTime() - r0) / 1e6 / rounds;
        System.out.printf("scheduling pass with nothing due (runDueWork, all sets): %.2f ms, %.2f us per set%n",
                perRound, perRound * 1000 / count);

        List<Double> fractions = new ArrayList<>();
        TreeMap<Long, Integer> perDay = new TreeMap<>();
        TreeMap<Long, Integer> perHour = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            String set = setName(i);
            Instant at = manager.nextIssuance(set).orElseThrow();
            X509Certificate leaf = manager.certificate(set).orElseThrow().leaf();
            RenewalWindow w = window(leaf);
            fractions.add((double) Duration.between(w.start(), at).toMillis() / Duration.between(w.start(), w.end()).toMillis());
            long hours = Duration.between(now, at).toHours();
            perHour.merge(hours, 1, Integer::sum);
            perDay.merge(hours / 24, 1, Integer::sum);
        }
        int[] deciles = new int[10];
        for (double f : fractions) {
            deciles[Math.min(9, Math.max(0, (int) (f * 10)))]++;
        }
        System.out.printf("renewal times within their windows (fraction of the window): min %.3f, median %.3f, max %.3f;"
                + " per decile %s%n", Stats.min(fractions), Stats.median(fractions), Stats.max(fractions),
                java.util.Arrays.toString(deciles));
        System.out.printf("renewals over time: first in %d h, last in %d h; busiest hour %d renewals, mean %.1f per hour"
                + " over the span; per day (first 5) %s%n", perHour.firstKey(), perHour.lastKey(),
                perHour.values().stream().mapToInt(Integer::intValue).max().orElse(0),
                (double) count / (perHour.lastKey() - perHour.firstKey() + 1),
                perDay.headMap(perDay.firstKey() + 5).toString());
        manager.close();
    }

    /** What the CA of this benchmark answers: a two-day window centred at two thirds of the lifetime. */
    private static RenewalWindow window(X509Certificate leaf) {
        Instant notBefore = leaf.getNotBefore().toInstant();
        Duration life = Duration.between(notBefore, leaf.getNotAfter().toInstant());
        Instant centre = notBefore.plus(life.multipliedBy(2).dividedBy(3));
        return RenewalWindow.of(centre.minus(Duration.ofDays(1)), centre.plus(Duration.ofDays(1)), null, null);
    }

    private static String setName(int i) {
        return "s" + i;
    }

    private static String domain(int i) {
        return "s" + i + ".scale.keyward.test";
    }

    private static long heapAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Writes {@code count} sets in the manager's layout: certificates/SET/certificate.pem and key-FP.pem. */
    private static void generate(Path directory, int count, Instant now) throws Exception {
        CertificateStorage storage = CertificateStorage.files(directory);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair caKey = generator.generateKeyPair();
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        X500Name caName = new X500Name("CN=Keyward scale CA");
        ContentSigner caSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate());
        X509Certificate caCert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                caName, BigInteger.ONE, Date.from(now.minus(Duration.ofDays(365))), Date.from(now.plus(Duration.ofDays(365))),
                caName, caKey.getPublic())
                .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(caKey.getPublic()))
                .build(caSigner));
        String caPem = pem("CERTIFICATE", caCert.getEncoded());
        Random random = new Random(42);
        for (int i = 0; i < count; i++) {
            KeyPair key = generator.generateKeyPair();
            Instant notBefore = now.minusSeconds((long) (random.nextDouble() * ISSUED_OVER.toSeconds()));
            X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                    caName, BigInteger.valueOf(1000L + i), Date.from(notBefore), Date.from(notBefore.plus(LIFETIME)),
                    new X500Name("CN=" + domain(i)), key.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(new GeneralName(GeneralName.dNSName, domain(i))))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            utils.createAuthorityKeyIdentifier(caCert))
                    .build(caSigner));
            String dir = "certificates/" + setName(i);
            String keyText = pem("PRIVATE KEY", key.getPrivate().getEncoded()) + pem("PUBLIC KEY", key.getPublic().getEncoded());
            storage.store(dir + "/key-" + fingerprint(key) + ".pem", keyText.getBytes(StandardCharsets.US_ASCII), true);
            storage.store(dir + "/certificate.pem", (pem("CERTIFICATE", leaf.getEncoded()) + caPem)
                    .getBytes(StandardCharsets.US_ASCII), false);
        }
    }

    private static String fingerprint(KeyPair key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getPublic().getEncoded()), 0, 8);
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
