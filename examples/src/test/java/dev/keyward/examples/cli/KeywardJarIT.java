package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.testkit.KmsEmulator;
import dev.keyward.acme.testkit.PebbleExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged CLI as a user gets it, after {@code package} (run by failsafe in {@code verify}):
 * {@code target/keyward.jar} copied alone into an empty folder runs, prints its version and issues a
 * certificate from a real Pebble; it carries neither the test kit nor the AWS SDK, which
 * {@code keyward-kms.jar} holds and which is loaded only for {@code kms:} keys; the launcher
 * {@code target/keyward} makes an AppCDS archive on its first command and maps it on the next.
 */
class KeywardJarIT {
    private static final long RUN_SECONDS = 180;

    @RegisterExtension
    static PebbleExtension pebble = new PebbleExtension();

    private static Path target;

    @TempDir
    Path alone;

    @TempDir
    Path work;

    @BeforeAll
    static void findTheBuild() {
        target = Path.of(System.getProperty("keyward.target", "target"));
        assertThat(target.resolve("keyward.jar")).as("run after package").isRegularFile();
    }

    @Test
    void theJarCopiedAloneIntoAnEmptyFolderPrintsItsVersionAndIssuesACertificate() throws Exception {
        Path jar = Files.copy(target.resolve("keyward.jar"), alone.resolve("keyward.jar"));
        String name = name("jar");

        Run version = run(alone, Map.of(), java(), "-jar", jar.toString(), "--version");
        Run issue = run(alone, Map.of(), java(), "-jar", jar.toString(), "--directory", directory(), "--trust",
                trust(), "issue", "-d", name, "--http01-port", port(), "--out", work.resolve("out").toString());

        assertThat(version.exitCode).as(version.output).isZero();
        assertThat(version.output).startsWith("keyward ").doesNotContain("${");
        assertThat(issue.exitCode).as(issue.output).isZero();
        assertThat(Demo.subjectNames(leaf(work.resolve("out/chain.pem")))).containsExactly(name);
        try (Stream<Path> files = Files.list(alone)) {
            assertThat(files).containsExactly(jar);
        }
    }

    @Test
    void theDemoCommandSaysThatTheJarCarriesNoTestKitAndExitsThree() throws Exception {
        Path jar = Files.copy(target.resolve("keyward.jar"), alone.resolve("keyward.jar"));

        Run demo = run(alone, Map.of(), java(), "-jar", jar.toString(), "demo");

        assertThat(demo.exitCode).as(demo.output).isEqualTo(Keyward.LOCAL_ERROR);
        assertThat(demo.output.strip()).startsWith("keyward: --pebble and demo start a local Pebble through the test kit")
                .contains("scripts/demo.sh").doesNotContain("Exception").doesNotContain("dev.keyward").hasLineCount(1);
    }

    @Test
    void theJarLeavesOutTheTestKitTheAwsSdkAndSignaturesAndMergesServiceFiles() throws IOException {
        try (JarFile jar = new JarFile(target.resolve("keyward.jar").toFile())) {
            List<String> names = jar.stream().map(e -> e.getName()).toList();
            Manifest manifest = jar.getManifest();

            assertThat(manifest.getMainAttributes().getValue("Main-Class")).isEqualTo(Keyward.class.getName());
            assertThat(manifest.getMainAttributes().getValue("Multi-Release")).isEqualTo("true");
            assertThat(names).noneMatch(n -> n.startsWith("dev/keyward/acme/testkit/"))
                    .noneMatch(n -> n.startsWith("software/amazon/"))
                    .noneMatch(n -> n.startsWith("dev/keyward/acme/kms/"))
                    .noneMatch(n -> n.startsWith("org/junit/"))
                    .noneMatch(n -> n.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)"))
                    .noneMatch(n -> n.endsWith("module-info.class"))
                    .contains("org/bouncycastle/jce/provider/BouncyCastleProvider.class");
            String drivers = new String(jar.getInputStream(jar.getEntry("META-INF/services/java.sql.Driver"))
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertThat(drivers).contains("org.h2.Driver").contains("org.postgresql.Driver");
        }
        try (JarFile kms = new JarFile(target.resolve(KmsModule.JAR).toFile())) {
            List<String> names = kms.stream().map(e -> e.getName()).toList();
            assertThat(names).contains("dev/keyward/acme/kms/aws/KmsSigners.class")
                    .anyMatch(n -> n.startsWith("software/amazon/awssdk/services/kms/"))
                    .noneMatch(n -> n.startsWith("dev/keyward/examples/"))
                    .noneMatch(n -> n.startsWith("dev/keyward/acme/internal/"));
        }
    }

    @Test
    void aKmsKeyNeedsTheKmsJarBesideTheMainJarAndIsCheckedByItsModuleWhenThere() throws Exception {
        Path jar = Files.copy(target.resolve("keyward.jar"), alone.resolve("keyward.jar"));
        List<String> command = List.of(java(), "-jar", jar.toString(), "--directory", directory(), "--trust", trust(),
                "--account-key", "kms:alias/ spaced", "account", "register");

        Run without = run(alone, Map.of(), command.toArray(String[]::new));
        Files.copy(target.resolve(KmsModule.JAR), alone.resolve(KmsModule.JAR));
        Run with = run(alone, Map.of(), command.toArray(String[]::new));

        assertThat(without.exitCode).as(without.output).isEqualTo(Keyward.LOCAL_ERROR);
        assertThat(without.output).contains("kms: keys need keyward-kms.jar next to keyward.jar");
        assertThat(with.exitCode).as(with.output).isEqualTo(Keyward.LOCAL_ERROR);
        assertThat(with.output).contains("not a KMS key in kms:alias/ spaced").contains("whitespace")
                .doesNotContain("Exception");
    }

    @Test
    void anIssuanceWithBothKeysInKmsRunsFromTheTwoJarsAlone() throws Exception {
        Path jar = Files.copy(target.resolve("keyward.jar"), alone.resolve("keyward.jar"));
        Files.copy(target.resolve(KmsModule.JAR), alone.resolve(KmsModule.JAR));
        String name = name("kms");
        try (KmsEmulator kms = KmsEmulator.start()) {
            KmsEmulator.Key accountKey = kms.createKey(KmsEmulator.KeySpec.ECC_NIST_P256);
            KmsEmulator.Key certificateKey = kms.createKey(KmsEmulator.KeySpec.ECC_NIST_P256);

            Run issue = run(alone, Map.of("AWS_EC2_METADATA_DISABLED", "true"), java(),
                    "-Daws.region=" + kms.region(), "-Daws.accessKeyId=AKIAKEYWARDJARTEST00",
                    "-Daws.secretAccessKey=keyward-jar-test-secret", "-Daws.endpointUrlKms=" + kms.endpoint(),
                    "-jar", jar.toString(), "--directory", directory(), "--trust", trust(),
                    "--account-key", "kms:" + accountKey.arn(), "issue", "-d", name,
                    "--key", "kms:" + certificateKey.arn(), "--http01-port", port(),
                    "--out", work.resolve("kms").toString());

            assertThat(issue.exitCode).as(issue.output).isZero();
            assertThat(leaf(work.resolve("kms/chain.pem")).getPublicKey())
                    .isEqualTo(certificateKey.publicKey().orElseThrow());
            assertThat(kms.requests()).filteredOn(r -> r.operation().equals("Sign"))
                    .extracting(r -> r.member("KeyId").orElseThrow())
                    .contains(accountKey.arn(), certificateKey.arn());
        }
    }

    @Test
    void theLauncherMakesAClassDataArchiveOnItsFirstCommandAndMapsItOnTheNext() throws Exception {
        Path launcher = Files.copy(target.resolve("keyward"), alone.resolve("keyward"));
        Files.copy(target.resolve("keyward.jar"), alone.resolve("keyward.jar"));
        Path cds = work.resolve("cds");
        Path classLog = work.resolve("classes.log");
        Map<String, String> env = Map.of("KEYWARD_CDS_DIR", cds.toString());

        Run help = run(alone, env, launcher.toString(), "--help");
        boolean archivedByHelp = Files.exists(cds);
        Run first = run(alone, env, launcher.toString(), "--directory", directory(), "--trust", trust(),
                "issue", "-d", name("first"), "--http01-port", port(), "--out", work.resolve("first").toString());
        List<Path> archives = archives(cds);
        Run second = run(alone, Map.of("KEYWARD_CDS_DIR", cds.toString(),
                "KEYWARD_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog), launcher.toString(),
                "--directory", directory(), "--trust", trust(), "issue", "-d", name("second"), "--http01-port", port(),
                "--out", work.resolve("second").toString());

        assertThat(help.exitCode).as(help.output).isZero();
        assertThat(archivedByHelp).as("--help makes no archive").isFalse();
        assertThat(first.exitCode).as(first.output).isZero();
        assertThat(archives).hasSize(1);
        assertThat(second.exitCode).as(second.output).isZero();
        assertThat(second.output).doesNotContain("[warning]").doesNotContain("[error]");
        List<String> loaded = Files.readAllLines(classLog);
        assertThat(loaded.stream().filter(l -> l.contains("dev.keyward.examples.cli.IssueCommand ")))
                .singleElement().asString().contains("shared objects file (top)");
        assertThat(archives(cds)).isEqualTo(archives);
    }

    private static List<Path> archives(Path cds) throws IOException {
        if (!Files.isDirectory(cds)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cds)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsa")).sorted().toList();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String directory() {
        return pebble.server().directoryUri().toString();
    }

    private static String trust() {
        return pebble.server().trustAnchorPemFile().toString();
    }

    private static String port() {
        return String.valueOf(pebble.server().http01Port());
    }

    private static String name(String label) {
        return label + "-" + UUID.randomUUID().toString().substring(0, 8) + ".keyward.test";
    }

    private static X509Certificate leaf(Path chain) throws Exception {
        try (InputStream in = Files.newInputStream(chain)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificates(in).iterator().next();
        }
    }

    /** A finished process: its exit code and its merged output. */
    private record Run(int exitCode, String output) {
    }

    private static Run run(Path directory, Map<String, String> env, String... command) throws Exception {
        Path output = Files.createTempFile("keyward-jar-it-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(env);
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process process = builder.start();
            if (!process.waitFor(RUN_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("no exit within " + RUN_SECONDS + " s: " + String.join(" ", command)
                        + "\n" + Files.readString(output));
            }
            return new Run(process.exitValue(), Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
