package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.Signers;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code issue} twice in a row with one account against a CA that reuses every valid
 * authorization: the second order arrives with its authorization valid already, and must still
 * be finalized (the bug the picocli rewrite was filed for).
 */
class AuthorizationReuseCliTest {
    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder()
            .server(PebbleServer.builder().authorizationReusePercent(100)).build();

    @TempDir
    Path dir;

    private CliRun issue(Path accountKey, String name, Path out) {
        PebbleServer server = pebble.server();
        return CliRun.of(List.of("--directory", server.directoryUri().toString(),
                "--trust", server.trustAnchorPemFile().toString(), "--account-key", accountKey.toString(),
                "issue", "-d", name, "--http01-port", String.valueOf(server.http01Port()), "--out", out.toString()));
    }

    @Test
    void issuingTwiceWithTheSameAccountSucceedsBothTimes() throws Exception {
        Path key = dir.resolve("account.pem");
        String name = "reuse-" + UUID.randomUUID().toString().substring(0, 8) + ".keyward.test";

        CliRun first = issue(key, name, dir.resolve("first"));
        CliRun second = issue(key, name, dir.resolve("second"));

        assertThat(first.exitCode).as(first.toString()).isEqualTo(Keyward.OK);
        assertThat(second.exitCode).as(second.toString()).isEqualTo(Keyward.OK);
        assertThat(second.err).containsAnyOf("is ready: the CA reused", "Reusing the valid authorization of " + name);
        X509Certificate one = leaf(dir.resolve("first"));
        X509Certificate two = leaf(dir.resolve("second"));
        assertThat(two.getSerialNumber()).isNotEqualTo(one.getSerialNumber());
        assertThat(two.getPublicKey()).isEqualTo(KeyFiles.read(dir.resolve("second/key.pem")).getPublic());
        assertThat(authorizationsOfEachOrder(key)).hasSize(2).satisfies(orders ->
                assertThat(orders.get(1)).as("the second order reuses the first one's authorization")
                        .isEqualTo(orders.get(0)));
    }

    private static List<List<URI>> authorizationsOfEachOrder(Path accountKey) throws Exception {
        KeyPair pair = KeyFiles.read(accountKey);
        try (AcmeClient client = AcmeClient.builder(pebble.server().directoryUri())
                .trustAnchors(pebble.server().trustAnchors()).build()) {
            Account account = client.findAccount(Signers.jca(pair.getPrivate(), pair.getPublic()));
            List<List<URI>> result = new ArrayList<>();
            for (URI order : account.fetchOrderUrls()) {
                result.add(account.fetchOrder(order).authorizationUrls());
            }
            return result;
        }
    }

    private static X509Certificate leaf(Path out) throws Exception {
        try (InputStream in = Files.newInputStream(out.resolve("cert.pem"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
