package dev.keyward.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.IssuanceResult;
import dev.keyward.acme.Signers;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's code sample works against Pebble, twice in a row with one account where Pebble reuses
 * every valid authorization ({@link QuickStartAtDefaultReuseTest}: at Pebble's default reuse), and the
 * README shows it as it is.
 */
class QuickStartTest {
    @RegisterExtension
    static PebbleExtension reusingPebble = PebbleExtension.builder()
            .server(PebbleServer.builder().authorizationReusePercent(100)).build();

    @Test
    void theReadmeSampleIssuesTwiceInARowWithOneAccountTheSecondTimeReusingBothAuthorizations() throws Exception {
        PebbleServer pebble = reusingPebble.server();
        List<String> names = List.of("quickstart.keyward.test", "www.quickstart.keyward.test");
        AcmeSigner accountKey = ecKey();
        AcmeSigner firstKey = ecKey();
        AcmeSigner secondKey = ecKey();

        try (AcmeClient client = client(pebble)) {
            IssuanceResult first = QuickStart.issue(client, accountKey, firstKey, names, http01Address(pebble));
            IssuanceResult second = QuickStart.issue(client, accountKey, secondKey, names, http01Address(pebble));

            assertThat(first.chain().leaf().getPublicKey()).isEqualTo(firstKey.publicKey());
            assertThat(first.chain().leaf().getSubjectAlternativeNames()).hasSize(2);
            assertThat(first.reusedAuthorizations()).isZero();
            assertThat(second.chain().leaf().getPublicKey()).isEqualTo(secondKey.publicKey());
            assertThat(second.reusedAuthorizations()).isEqualTo(2);
            assertThat(second.order().url()).isNotEqualTo(first.order().url());
        }
    }

    static AcmeClient client(PebbleServer pebble) {
        return AcmeClient.builder(pebble.directoryUri()).trustAnchors(pebble.trustAnchors()).build();
    }

    static InetSocketAddress http01Address(PebbleServer pebble) {
        return new InetSocketAddress("127.0.0.1", pebble.http01Port());
    }

    @Test
    void theReadmeShowsTheSampleExactlyAsCompiled() throws Exception {
        String source = Files.readString(Path.of("src/main/java/dev/keyward/examples/QuickStart.java"),
                StandardCharsets.UTF_8);
        String body = source.substring(source.indexOf("// README-BEGIN\n") + "// README-BEGIN\n".length(),
                source.indexOf("        // README-END"));
        String dedented = body.lines().map(l -> l.startsWith("        ") ? l.substring(8) : l)
                .collect(Collectors.joining("\n"));
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);

        assertThat(readme).contains(dedented);
    }

    static AcmeSigner ecKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        return Signers.jca(pair.getPrivate(), pair.getPublic());
    }
}
