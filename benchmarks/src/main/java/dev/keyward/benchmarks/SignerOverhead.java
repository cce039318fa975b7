package dev.keyward.benchmarks;

import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Signers;
import dev.keyward.acme.pkcs11.Pkcs11KeyStore;
import dev.keyward.acme.testkit.SoftHsmToken;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The signer abstraction's own cost per ACME request (RFC 8555 section 6.2): for each key, the time
 * to build one signed request body as acme-core does it ({@link RequestJws#sign}: protected header
 * with {@code kid}, nonce and url, base64url, {@link AcmeSigner#sign}, DER to R||S for ECDSA, the
 * flattened JSON) next to the raw signature of the same key over the same signing input
 * ({@link Signature#sign} on one {@code Signature} initialised once), and the difference in percent.
 *
 * <p>Rows: in-memory EC P-256 and RSA-2048 (the JDK's default providers), EC P-256 in a SoftHSM2
 * token through {@code acme-pkcs11}, and EC P-256 in the test kit's KMS emulator on loopback through
 * {@code acme-kms-aws} ({@link EmulatedKmsRow}). Rows are {@link Row}s made in {@link #rows()}: to
 * add one, add a factory call there.
 *
 * <p>Usage: {@code SignerOverhead [BLOCKS]} (default 200). Each row is warmed up for about two
 * seconds, then measured in BLOCKS pairs of blocks of about 10 ms, one raw and one JWS, in
 * alternating order, timed with the thread's CPU time so that other processes on a busy machine do
 * not count (the JWS path's garbage is collected on other threads and is not counted). Printed: the
 * median time per operation of each mode, the median of the pairs' differences in microseconds, and
 * the median of the pairs' overheads in percent with its quartiles.
 *
 * <p>SoftHSM reads {@code SOFTHSM2_CONF}, which a JVM cannot set for itself: when it is unset, the
 * harness runs itself again in a child JVM with it pointing at a file in the temporary directory.
 * Needs the Debian package {@code softhsm2}. Not a test: it asserts nothing.
 */
public final class SignerOverhead {
    private static final int DEFAULT_BLOCKS = 200;
    private static final long WARMUP_NANOS = 2_000_000_000L;
    private static final long BLOCK_NANOS = 10_000_000L;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static final URI URL = URI.create("https://acme.example/acme/new-order");
    private static final URI KID = URI.create("https://acme.example/acme/acct/1234567");
    private static final String NONCE = "oFvnlFP1wIhRlYS2jTaXbA";
    private static final String PAYLOAD = "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"www.example.com\"}]}";

    /** Keeps the JIT from dropping the work whose result nobody reads. */
    private static long sink;

    private SignerOverhead() {
    }

    /**
     * One key to measure: its Keyward signer, and the same key signing raw, without Keyward.
     * Implementations for remote or token keys release their resources in {@link #close()}.
     */
    public interface Row extends AutoCloseable {
        /**
         * @return the name printed in the first column
         */
        String name();

        /**
         * @return the signer that {@link RequestJws#sign} uses
         */
        AcmeSigner signer();

        /**
         * Signs with the same key as directly as the platform allows (for a JCA key: update and
         * sign on one initialised {@link Signature}).
         *
         * @param data the signing input
         * @return the signature
         * @throws Exception if signing fails
         */
        byte[] rawSign(byte[] data) throws Exception;

        /** Releases the row's resources; nothing by default. */
        @Override
        default void close() {
        }
    }

    /**
     * The rows to measure, in order. The extension point: add a row here, for example
     * {@code rows.add(EmulatedKmsRow.p256())} for the emulated KMS P-256 key.
     *
     * @return the rows
     * @throws Exception if a key cannot be made
     */
    static List<Row> rows() throws Exception {
        List<Row> rows = new ArrayList<>();
        rows.add(inMemory("in-memory EC P-256", "EC", new ECGenParameterSpec("secp256r1"), 0));
        rows.add(inMemory("in-memory RSA-2048", "RSA", null, 2048));
        rows.add(softHsmEcP256());
        rows.add(EmulatedKmsRow.p256());
        return rows;
    }

    /**
     * Runs the benchmark.
     *
     * @param args {@code [BLOCKS]}
     * @throws Exception if a row fails
     */
    public static void main(String[] args) throws Exception {
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_BLOCKS;
        if (System.getenv(SoftHsmToken.CONF_VARIABLE) == null) {
            System.exit(relaunch(args));
        }
        System.out.printf(Locale.ROOT, "Java %s; %d paired blocks of ~%d ms per mode; %s time per operation, medians;"
                + " overhead = median of the blocks' (JWS / raw - 1) [quartiles]%n", System.getProperty("java.version"),
                blocks, BLOCK_NANOS / 1_000_000, THREADS.isCurrentThreadCpuTimeSupported() ? "thread CPU" : "wall");
        System.out.printf(Locale.ROOT, "%-22s %6s %14s %16s %14s %10s%n", "signer", "alg", "raw sign (us)",
                "signed JWS (us)", "JWS - raw (us)", "overhead");
        for (Row row : rows()) {
            try (row) {
                measure(row, blocks);
            }
        }
    }

    /**
     * One row's figures: medians per operation of the raw signature and of the signed request,
     * of their difference, and the overhead in percent with its quartiles.
     */
    record Measured(double rawMicros, double jwsMicros, double differenceMicros, double overheadPercent,
                    double overheadQ1, double overheadQ3) {
    }

    /** The in-memory EC P-256 row (the JDK's provider), for a harness that wants one figure. */
    static Row inMemoryEcP256() throws Exception {
        return inMemory("in-memory EC P-256", "EC", new ECGenParameterSpec("secp256r1"), 0);
    }

    private static void measure(Row row, int blocks) throws Exception {
        Measured m = measured(row, blocks);
        System.out.printf(Locale.ROOT, "%-22s %6s %14.1f %16.1f %+14.1f %+9.1f%%  [%+.1f%%, %+.1f%%]%n", row.name(),
                row.signer().algorithm().jwsName(), m.rawMicros(), m.jwsMicros(), m.differenceMicros(),
                m.overheadPercent(), m.overheadQ1(), m.overheadQ3());
    }

    /**
     * Measures one row: a warm-up of about two seconds, then {@code blocks} pairs of blocks.
     *
     * @param row the key
     * @param blocks the pairs of blocks
     * @return the figures
     * @throws Exception if signing fails
     */
    static Measured measured(Row row, int blocks) throws Exception {
        byte[] signingInput = signingInput(row.signer());
        int perBlock = calibrate(row, signingInput);
        List<Double> raw = new ArrayList<>();
        List<Double> jws = new ArrayList<>();
        List<Double> overhead = new ArrayList<>();
        List<Double> difference = new ArrayList<>();
        for (int block = 0; block < blocks; block++) {
            // Alternate which mode goes first, so neither always follows the other.
            boolean rawFirst = block % 2 == 0;
            double first = timeBlock(row, signingInput, rawFirst, perBlock);
            double second = timeBlock(row, signingInput, !rawFirst, perBlock);
            double rawNanos = rawFirst ? first : second;
            double jwsNanos = rawFirst ? second : first;
            raw.add(rawNanos);
            jws.add(jwsNanos);
            overhead.add((jwsNanos / rawNanos - 1) * 100);
            difference.add(jwsNanos - rawNanos);
        }
        return new Measured(Stats.median(raw) / 1000, Stats.median(jws) / 1000, Stats.median(difference) / 1000,
                Stats.median(overhead), quartile(overhead, 1), quartile(overhead, 3));
    }

    /** Warms both modes up for about {@link #WARMUP_NANOS}; returns operations per block of ~{@link #BLOCK_NANOS}. */
    private static int calibrate(Row row, byte[] signingInput) throws Exception {
        long start = System.nanoTime();
        long operations = 0;
        while (System.nanoTime() - start < WARMUP_NANOS) {
            timeBlock(row, signingInput, true, 10);
            timeBlock(row, signingInput, false, 10);
            operations += 20;
        }
        double nanosPerOperation = (double) (System.nanoTime() - start) / operations;
        return (int) Math.max(5, Math.min(100_000, BLOCK_NANOS / nanosPerOperation));
    }

    /** Signs {@code operations} times in one mode; returns this thread's CPU nanoseconds per operation. */
    private static double timeBlock(Row row, byte[] signingInput, boolean raw, int operations) throws Exception {
        long start = cpuNanos();
        for (int i = 0; i < operations; i++) {
            if (raw) {
                sink += row.rawSign(signingInput)[0];
            } else {
                sink += RequestJws.sign(row.signer(), URL, NONCE, KID, PAYLOAD).length();
            }
        }
        return (double) (cpuNanos() - start) / operations;
    }

    /** This thread's CPU time, so that other processes on a busy machine do not count; wall time otherwise. */
    private static long cpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private static double quartile(List<Double> sample, int which) {
        List<Double> sorted = new ArrayList<>(sample);
        java.util.Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * which / 4));
    }

    /** The bytes the JWS signs (protected header and payload, base64url, joined by a dot). */
    private static byte[] signingInput(AcmeSigner signer) throws Exception {
        String jws = RequestJws.sign(signer, URL, NONCE, KID, PAYLOAD);
        Matcher protectedPart = Pattern.compile("\"protected\":\"([^\"]*)\"").matcher(jws);
        Matcher payloadPart = Pattern.compile("\"payload\":\"([^\"]*)\"").matcher(jws);
        if (!protectedPart.find() || !payloadPart.find()) {
            throw new IllegalStateException("not a flattened JWS: " + jws);
        }
        String expectedPayload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(PAYLOAD.getBytes(StandardCharsets.UTF_8));
        if (!payloadPart.group(1).equals(expectedPayload)) {
            throw new IllegalStateException("unexpected payload encoding in " + jws);
        }
        return (protectedPart.group(1) + "." + payloadPart.group(1)).getBytes(StandardCharsets.US_ASCII);
    }

    private static Row inMemory(String name, String algorithm, ECGenParameterSpec curve, int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (curve != null) {
            generator.initialize(curve);
        } else {
            generator.initialize(bits);
        }
        KeyPair pair = generator.generateKeyPair();
        AcmeSigner signer = Signers.jca(pair.getPrivate(), pair.getPublic());
        Signature raw = Signature.getInstance(signer.algorithm().jcaName());
        raw.initSign(pair.getPrivate());
        return new JcaRow(name, signer, raw);
    }

    /**
     * EC P-256 generated by keytool in the test kit's SoftHSM2 token: the Keyward signer from
     * {@link Pkcs11KeyStore}, the raw signature from a SunPKCS11 provider of the benchmark's own.
     */
    private static Row softHsmEcP256() throws Exception {
        SoftHsmToken token = SoftHsmToken.primary();
        token.key("bench-ec256", SoftHsmToken.KeySpec.EC_P256);
        Pkcs11KeyStore store = Pkcs11KeyStore.builder().library(token.library()).tokenLabel(token.label())
                .pin(token.pin()).open();
        AcmeSigner signer = store.signer("bench-ec256");
        Provider provider = Security.getProvider("SunPKCS11").configure(token.sunPkcs11Config().toString());
        KeyStore keyStore = KeyStore.getInstance("PKCS11", provider);
        keyStore.load(null, token.pin());
        Signature raw = Signature.getInstance(signer.algorithm().jcaName(), provider);
        raw.initSign((PrivateKey) keyStore.getKey("bench-ec256", null));
        return new JcaRow("SoftHSM2 EC P-256", signer, raw) {
            @Override
            public void close() {
                store.close();
            }
        };
    }

    /** A row whose raw signature is one reused {@link Signature}. */
    private static class JcaRow implements Row {
        private final String name;
        private final AcmeSigner signer;
        private final Signature raw;

        JcaRow(String name, AcmeSigner signer, Signature raw) {
            this.name = name;
            this.signer = signer;
            this.raw = raw;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public AcmeSigner signer() {
            return signer;
        }

        @Override
        public byte[] rawSign(byte[] data) throws Exception {
            raw.update(data);
            return raw.sign();
        }
    }

    /** Runs this class again in a child JVM whose environment names a SoftHSM configuration. */
    private static int relaunch(String[] args) throws Exception {
        Path conf = Path.of(System.getProperty("java.io.tmpdir"), "keyward-bench-softhsm2-" + ProcessHandle.current().pid()
                + ".conf");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SignerOverhead.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put(SoftHsmToken.CONF_VARIABLE, conf.toString());
        try {
            return builder.start().waitFor();
        } finally {
            java.nio.file.Files.deleteIfExists(conf);
        }
    }
}
