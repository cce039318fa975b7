package dev.keyward.acme.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.keyward.acme.Account;
import dev.keyward.acme.AccountRequest;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeTlsException;
import dev.keyward.acme.AcmeServerException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.AcmeSigningException;
import dev.keyward.acme.AcmeUnauthorizedException;
import dev.keyward.acme.Authorization;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Challenge;
import dev.keyward.acme.ChallengeSolver;
import dev.keyward.acme.IssuanceListener;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.IssuanceResult;
import dev.keyward.acme.Csr;
import dev.keyward.acme.Directory;
import dev.keyward.acme.ExternalAccountBinding;
import dev.keyward.acme.MacAlgorithm;
import dev.keyward.acme.Order;
import dev.keyward.acme.Signers;
import dev.keyward.acme.pebble.PebbleFlow;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Private keys and External Account Binding MAC keys never appear in logs, {@code toString()} or
 * exception messages (issue 5, security defaults). The log is that of a whole issuance, External
 * Account Binding and key rollover included, run in a JVM of its own with every logger at DEBUG
 * from the start: SLF4J fixes a logger's level when it is created, so the JVM running the other
 * tests cannot be switched to DEBUG afterwards.
 */
class KeyMaterialStaysHiddenAgainstPebbleTest {
    private static final String KID = "kid-secrets";
    private static final String MAC_KEY = "uQ2m7tVxKXo1b0lD9k3N5y_rWq8fZpHcJ6e4Ga-STvLMiBdEjwYhOU2nRPsFxC1A";
    private static final String WRONG_MAC_KEY = "Jt6M0sQ2cXvRb8nL1kP7yWq3ZeHd5Fg9Ua4Ci-_oErTlNhYbKmVwSx0zGp2DfA8B";
    private static final Pattern POST_LINE =
            Pattern.compile("DEBUG dev\\.keyward\\.acme\\.Session - POST (https://\\S+) -> (\\d{3})");

    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder()
            .server(PebbleServer.builder().externalAccountBinding(Map.of(KID, MAC_KEY))).build();

    private final KeyPair accountKeys = ec("secp256r1");
    private final KeyPair rolloverKeys = rsa();
    private final KeyPair certificateKeys = ec("secp384r1");
    private final SecretForms secrets = new SecretForms()
            .privateKey("account key", accountKeys.getPrivate())
            .privateKey("rollover key", rolloverKeys.getPrivate())
            .privateKey("certificate key", certificateKeys.getPrivate())
            .macKey("EAB MAC key", Base64.getUrlDecoder().decode(MAC_KEY))
            .macKey("wrong EAB MAC key", Base64.getUrlDecoder().decode(WRONG_MAC_KEY));

    @Test
    void aWholeIssuanceLoggedAtDebugLevelShowsNoKeyMaterial(@TempDir Path folder) throws Exception {
        writeKeyPair(folder, "account", accountKeys);
        writeKeyPair(folder, "rollover", rolloverKeys);
        writeKeyPair(folder, "certificate", certificateKeys);
        Files.writeString(folder.resolve("eab.kid"), KID);
        Files.writeString(folder.resolve("eab.mac"), MAC_KEY);
        Files.writeString(folder.resolve("wrong.mac"), WRONG_MAC_KEY);

        String log = runWithDebugLogging(folder);

        Directory directory;
        try (AcmeClient client = new PebbleFlow(pebble.server()).client()) {
            directory = client.fetchDirectory();
        }
        List<String> posted = new ArrayList<>();
        Matcher post = POST_LINE.matcher(log);
        while (post.find()) {
            posted.add(post.group(1));
        }
        System.out.printf("DEBUG log of a whole issuance: %d lines, %d POSTs logged, %d secret forms searched%n",
                log.lines().count(), posted.size(), secrets.size());
        assertThat(log).as("the child's output").contains(DebugLoggedIssuance.DONE).contains("refused as expected");
        assertThat(posted).as("POSTs logged at DEBUG").hasSizeGreaterThan(15)
                .contains(directory.newAccount().toString(), directory.newOrder().toString(),
                        directory.keyChange().orElseThrow().toString(), directory.revokeCert().orElseThrow().toString())
                .anyMatch(url -> url.contains("finalize"));
        assertThat(secrets.foundIn(log)).as("key material in the DEBUG log").isEmpty();
    }

    @Test
    void neitherToStringNorAnyExceptionOfAWholeIssuanceShowsKeyMaterial() throws Exception {
        PebbleFlow flow = new PebbleFlow(pebble.server());
        AcmeSigner accountKey = Signers.jca(accountKeys.getPrivate(), accountKeys.getPublic());
        AcmeSigner rolloverKey = Signers.jca(rolloverKeys.getPrivate(), rolloverKeys.getPublic());
        AcmeSigner certificateKey = Signers.jca(certificateKeys.getPrivate(), certificateKeys.getPublic());
        ExternalAccountBinding binding = ExternalAccountBinding.of(KID, MAC_KEY);
        Map<String, Object> shown = new LinkedHashMap<>();
        List<Throwable> thrown = new ArrayList<>();

        AcmeClient untrusting = AcmeClient.builder(pebble.server().directoryUri()).build();
        try (AcmeClient client = flow.client(); untrusting) {
            shown.put("client", client);
            shown.put("account signer", accountKey);
            shown.put("rollover signer", rolloverKey);
            shown.put("certificate signer", certificateKey);
            shown.put("binding", binding);
            shown.put("binding of bytes", ExternalAccountBinding.ofBytes(KID, Base64.getUrlDecoder().decode(MAC_KEY)));
            shown.put("binding HS512", binding.withAlgorithm(MacAlgorithm.HS512));
            thrown.add(catchThrowable(untrusting::fetchDirectory));
            thrown.add(catchThrowable(() -> client.newAccount(accountKey).agreeToTermsOfService().create()));
            thrown.add(catchThrowable(() -> client.newAccount(accountKey).agreeToTermsOfService()
                    .externalAccountBinding(ExternalAccountBinding.of(KID, WRONG_MAC_KEY)).create()));
            thrown.add(catchThrowable(() -> Signers.jca(accountKeys.getPrivate(), rolloverKeys.getPublic())));
            thrown.add(catchThrowable(() -> Signers.jca(rolloverKeys.getPrivate(), accountKeys.getPublic())));
            AccountRequest request = client.newAccount(accountKey).agreeToTermsOfService()
                    .externalAccountBinding(binding);
            shown.put("account request", request);
            Account account = request.create();
            shown.put("account", account);

            Order order = account.newOrder().domains(PebbleFlow.uniqueName("secret")).create();
            shown.put("order", order);
            thrown.add(catchThrowable(() -> order.finalizeWith(certificateKey)));
            thrown.add(catchThrowable(() -> order.finalizeWith(accountKey)));
            Csr csr = Csr.builder().identifiers(order.identifiers()).build(certificateKey);
            shown.put("csr", csr);
            IssuanceRequest issuance = IssuanceRequest.builder().identifiers(order.identifiers()).csr(csr)
                    .solvers(flow.solver(PebbleFlow.Method.HTTP01)).resumeOrder(order.url())
                    .listener(new IssuanceListener() {
                        @Override
                        public void challengeDeployed(Challenge challenge, ChallengeSolver solver) {
                            shown.put("challenge", challenge);
                        }

                        @Override
                        public void authorizationValid(Authorization authorization) {
                            shown.put("authorization", authorization);
                            shown.put("challenges", authorization.challenges());
                        }
                    }).build();
            shown.put("issuance request", issuance);
            IssuanceResult result = account.issue(issuance);
            shown.put("issuance result", result);
            shown.put("valid order", result.order());
            CertificateChain chain = result.chain();
            shown.put("chain", chain);
            Account rolled = account.changeKey(rolloverKey);
            shown.put("rolled account", rolled);
            thrown.add(catchThrowable(account::fetch));
            thrown.add(catchThrowable(() -> rolled.changeKey(rolloverKey)));
        }

        assertThat(thrown).as("failures provoked").extracting(Throwable::getClass).containsExactly(
                AcmeTlsException.class, AcmeServerException.class, AcmeUnauthorizedException.class,
                IllegalArgumentException.class, IllegalArgumentException.class, AcmeServerException.class,
                IllegalArgumentException.class, AcmeServerException.class, IllegalArgumentException.class);
        Map<String, List<String>> leaks = new LinkedHashMap<>();
        shown.forEach((what, value) -> {
            List<String> found = secrets.foundIn(String.valueOf(value));
            if (!found.isEmpty()) {
                leaks.put("toString() of " + what, found);
            }
        });
        for (Throwable failure : thrown) {
            List<String> found = secrets.foundIn(stackTrace(failure));
            if (!found.isEmpty()) {
                leaks.put(failure.toString(), found);
            }
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void theSearchFindsTheSecretsInTheFormsAKeyOrMacKeyIsUsuallyPrinted() {
        String pem = Base64.getMimeEncoder().encodeToString(rolloverKeys.getPrivate().getEncoded());
        String wrappedMac = MAC_KEY.substring(0, 30) + "\n" + MAC_KEY.substring(30);

        assertThat(secrets.size()).isGreaterThan(50);
        assertThat(secrets.foundIn("-----BEGIN PRIVATE KEY-----\n" + pem)).anyMatch(f -> f.startsWith("rollover key"));
        assertThat(secrets.foundIn("d=" + ((RSAPrivateKey) rolloverKeys.getPrivate()).getPrivateExponent()))
                .anyMatch(f -> f.startsWith("rollover key RSA private exponent decimal"));
        assertThat(secrets.foundIn("s=" + ((ECPrivateKey) accountKeys.getPrivate()).getS().toString(16).toUpperCase()))
                .anyMatch(f -> f.startsWith("account key EC private scalar hex"));
        assertThat(secrets.foundIn(wrappedMac)).anyMatch(f -> f.startsWith("EAB MAC key base64url"));
        assertThat(secrets.foundIn("public " + accountKeys.getPublic() + rolloverKeys.getPublic())).isEmpty();
    }

    /** Runs {@link DebugLoggedIssuance} in a JVM whose loggers are all at DEBUG; returns its output. */
    private String runWithDebugLogging(Path folder) throws Exception {
        Path output = folder.resolve("issuance.log");
        PebbleServer server = pebble.server();
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug",
                DebugLoggedIssuance.class.getName(),
                server.directoryUri().toString(), server.trustAnchorPemFile().toString(),
                server.dns().managementUri().toString(), folder.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean ended = child.waitFor(2, TimeUnit.MINUTES);
        if (!ended) {
            child.destroyForcibly();
        }
        String log = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(ended).as("the issuance ended within 2 minutes; output:%n%s", log).isTrue();
        assertThat(child.exitValue()).as("exit code; output:%n%s", log).isZero();
        return log;
    }

    private static void writeKeyPair(Path folder, String name, KeyPair pair) throws Exception {
        Files.write(folder.resolve(name + ".key"), pair.getPrivate().getEncoded());
        Files.write(folder.resolve(name + ".pub"), pair.getPublic().getEncoded());
    }

    private static String stackTrace(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    private static KeyPair ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
