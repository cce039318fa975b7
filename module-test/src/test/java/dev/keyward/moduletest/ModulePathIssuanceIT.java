package dev.keyward.moduletest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A named application module issues a certificate from Pebble (RFC 8555 section 7.4) in a JVM whose
 * application code is all on the module path (no class path), then again from a jlink runtime
 * image that holds only the modules it needs. Each run is a child process; this test only starts
 * Pebble, runs the child, and checks the chain it wrote.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModulePathIssuanceIT {
    private static final String MAIN = "dev.keyward.moduletest/dev.keyward.moduletest.IssueOnce";
    /** Longer than the client's own deadlines, so a stalled CA shows as the client's error. */
    private static final long CHILD_TIMEOUT_SECONDS = 240;

    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder()
            .server(PebbleServer.builder().authorizationReusePercent(0).nonceRejectPercent(0).vaNoSleep(true))
            .build();

    private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));
    private static final Path TARGET = Path.of(System.getProperty("moduletest.target", "target"));

    @Test
    @Order(1)
    void aNamedModuleIssuesACertificateOnTheModulePath() throws Exception {
        Path out = TARGET.resolve("module-path-chain.pem");
        Files.deleteIfExists(out);
        String modulePath = applicationModulePath().stream().map(Path::toString)
                .collect(Collectors.joining(java.io.File.pathSeparator));

        String output = issue(JAVA_HOME.resolve("bin/java"), List.of("--module-path", modulePath), "modpath", out);

        assertThat(output).contains("this class in module dev.keyward.moduletest")
                .contains("application class path: []");
        assertThat(modulesIn(output)).contains("dev.keyward.moduletest", "dev.keyward.acme", "okhttp3", "okio",
                "kotlin.stdlib", "com.fasterxml.jackson.core", "org.bouncycastle.pkix", "org.slf4j")
                .doesNotContain("com.fasterxml.jackson.databind");
        assertIssued(out, "modpath");
    }

    @Test
    @Order(2)
    void aJlinkImageOfTheNeededModulesIssuesACertificate() throws Exception {
        Path image = TARGET.resolve("jlink-image");
        deleteRecursively(image);
        Path mods = linkableModules();

        run("jlink", "--module-path", mods + java.io.File.pathSeparator + JAVA_HOME.resolve("jmods"),
                // dev.keyward.moduletest brings what it requires; jdk.crypto.ec is the JDK's EC
                // provider (a service, so not required by anyone): P-256 keys and ECDHE in TLS.
                "--add-modules", "dev.keyward.moduletest,jdk.crypto.ec",
                // BouncyCastle's jars are signed; the image does not keep jar signatures.
                "--ignore-signing-information",
                "--strip-debug", "--compress=2", "--no-header-files", "--no-man-pages", "--output", image.toString());
        long bytes = sizeOf(image);
        System.out.printf("jlink image: %d files, %.1f MB%n", countFiles(image), bytes / 1e6);

        Path out = TARGET.resolve("jlink-chain.pem");
        Files.deleteIfExists(out);
        String output = issue(image.resolve("bin/java"), List.of(), "jlinked", out);

        assertThat(modulesIn(output)).contains("dev.keyward.moduletest", "dev.keyward.acme", "okhttp3", "okio");
        assertIssued(out, "jlinked");
        String listed = runProcess(List.of(image.resolve("bin/java").toString(), "--list-modules"));
        assertThat(listed).contains("dev.keyward.moduletest", "dev.keyward.acme").doesNotContain("java.desktop");
    }

    /** Runs IssueOnce with {@code java} and returns what it printed; fails the test when it fails. */
    private static String issue(Path java, List<String> options, String label, Path out) throws Exception {
        PebbleServer server = pebble.server();
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(options);
        command.addAll(List.of("-m", MAIN, server.directoryUri().toString(), server.trustAnchorPemFile().toString(),
                Integer.toString(server.http01Port()), label + "-" + System.nanoTime() + ".example.test",
                out.toString()));
        long start = System.nanoTime();
        String output = runProcess(command);
        System.out.printf("%s: whole process %d ms%n%s", label, (System.nanoTime() - start) / 1_000_000, output);
        return output;
    }

    private static String runProcess(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("CLASSPATH");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] printed;
        try (var in = process.getInputStream()) {
            printed = in.readAllBytes();
        }
        if (!process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running after " + CHILD_TIMEOUT_SECONDS + " s: " + command);
        }
        String output = new String(printed, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("exit status of %s; it printed:%n%s", command, output).isZero();
        return output;
    }

    private static Set<String> modulesIn(String output) {
        String line = output.lines().filter(l -> l.startsWith("modules: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no modules line in:\n" + output));
        return Set.of(line.substring("modules: ".length(), line.indexOf(';')).split(","));
    }

    private static void assertIssued(Path out, String label) throws Exception {
        assertThat(out).exists();
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(out)))
                .forEach(c -> chain.add((X509Certificate) c));
        assertThat(chain).hasSizeGreaterThanOrEqualTo(2);
        assertThat(chain.get(0).getSubjectAlternativeNames()).anySatisfy(
                san -> assertThat(san.get(1).toString()).startsWith(label + "-").endsWith(".example.test"));
        chain.get(0).verify(chain.get(1).getPublicKey());
    }

    /** This module's jar and its runtime dependencies, as the build wrote them (see pom.xml). */
    private static List<Path> applicationModulePath() throws IOException {
        List<Path> path = new ArrayList<>();
        path.add(Path.of(System.getProperty("moduletest.jar")));
        for (String entry : Files.readString(TARGET.resolve("runtime-module-path.txt")).trim()
                .split(java.io.File.pathSeparator)) {
            path.add(Path.of(entry));
        }
        return path;
    }

    /**
     * The application module path as jlink can take it. jlink links named modules only, and
     * okio-jvm (OkHttp's I/O library) is an automatic module: its jar gets the module descriptor
     * that jdeps derives from its classes, as any application that jlinks OkHttp 5 must do.
     */
    private static Path linkableModules() throws Exception {
        Path mods = TARGET.resolve("jlink-modules");
        deleteRecursively(mods);
        Files.createDirectories(mods);
        List<Path> okio = new ArrayList<>();
        List<Path> kotlin = new ArrayList<>();
        for (Path jar : applicationModulePath()) {
            if (jar.getFileName().toString().startsWith("okio-jvm-")) {
                okio.add(jar);
            } else {
                if (jar.getFileName().toString().startsWith("kotlin-stdlib-")) {
                    kotlin.add(jar);
                }
                Files.copy(jar, mods.resolve(jar.getFileName()));
            }
        }
        assertThat(okio).hasSize(1);
        assertThat(kotlin).hasSize(1);
        Path okioJar = okio.get(0);
        Path generated = TARGET.resolve("okio-module-info");
        deleteRecursively(generated);
        run("jdeps", "--multi-release", Integer.toString(Runtime.version().feature()),
                "--generate-module-info", generated.toString(), "--module-path", kotlin.get(0).toString(),
                okioJar.toString());
        Path descriptor;
        try (Stream<Path> files = Files.walk(generated)) {
            descriptor = files.filter(p -> p.getFileName().toString().equals("module-info.java")).findFirst()
                    .orElseThrow();
        }
        Path classes = TARGET.resolve("okio-module-classes");
        deleteRecursively(classes);
        run("javac", "--module-path", kotlin.get(0).toString(), "--patch-module", "okio=" + okioJar, "-d",
                classes.toString(), descriptor.toString());
        Path modularOkio = mods.resolve(okioJar.getFileName());
        Files.copy(okioJar, modularOkio);
        run("jar", "--update", "--file", modularOkio.toString(), "-C", classes.toString(), "module-info.class");
        return mods;
    }

    private static void run(String tool, String... args) {
        ToolProvider provider = ToolProvider.findFirst(tool)
                .orElseThrow(() -> new AssertionError(tool + " is not in this JDK (" + JAVA_HOME + ")"));
        StringWriter printed = new StringWriter();
        PrintWriter writer = new PrintWriter(printed);
        int status = provider.run(writer, writer, args);
        writer.flush();
        assertThat(status).as("%s %s printed:%n%s", tool, Arrays.toString(args), printed).isZero();
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static long countFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
