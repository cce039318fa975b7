package dev.keyward.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Http01Challenge;
import dev.keyward.acme.Signers;
import dev.keyward.acme.testkit.Http01Responder;
import dev.keyward.acme.testkit.PebbleExtension;
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

/** The README's code sample works against Pebble, and the README shows it as it is. */
class QuickStartTest {
    @RegisterExtension
    static PebbleExtension pebble = new PebbleExtension();

    @Test
    void theReadmeSampleIssuesACertificateForTwoNames() throws Exception {
        Http01Responder responder = pebble.server().http01Responder();
        List<String> names = List.of("quickstart.keyward.test", "www.quickstart.keyward.test");
        AcmeSigner certificateKey = ecKey();

        try (AcmeClient client = AcmeClient.builder(pebble.server().directoryUri())
                .trustAnchors(pebble.server().trustAnchors()).build()) {
            CertificateChain chain = QuickStart.issue(client, ecKey(), certificateKey, names,
                    (path, body) -> responder.serve(path.substring(Http01Responder.PATH_PREFIX.length()), body));

            assertThat(chain.leaf().getPublicKey()).isEqualTo(certificateKey.publicKey());
            assertThat(chain.leaf().getSubjectAlternativeNames()).hasSize(2);
        }
        assertThat(Http01Responder.PATH_PREFIX).isEqualTo("/.well-known/acme-challenge/");
        assertThat(Http01Challenge.TYPE).isEqualTo("http-01");
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

    private static AcmeSigner ecKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        return Signers.jca(pair.getPrivate(), pair.getPublic());
    }
}
