package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ca info} and {@code renewal-info} against a CA whose directory offers none of the
 * extensions and whose meta carries hostile text: a loopback HTTP server with a fixed directory.
 */
class CaWithoutExtensionsCliTest {
    private static final String DIRECTORY = "{\"newNonce\":\"%1$s/nonce\",\"newAccount\":\"%1$s/account\","
            + "\"newOrder\":\"%1$s/order\",\"revokeCert\":\"%1$s/revoke\",\"x-extra\":\"%1$s/extra\","
            + "\"meta\":{\"profiles\":{\"evil\":\"two\\nlines\\u001b[31m\\u202e\"},\"caaIdentities\":[\"ca.test\"],"
            + "\"x-note\":{\"a\":1}}}";

    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/dir", exchange -> {
            byte[] body = String.format(DIRECTORY, base).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private List<String> ca(String... rest) {
        List<String> all = new java.util.ArrayList<>(List.of("--directory", base + "/dir", "--insecure-http"));
        all.addAll(List.of(rest));
        return all;
    }

    @Test
    void caInfoSaysNoToWhatIsMissingAndEscapesTheCasText() throws Exception {
        CliRun text = CliRun.of(ca("ca", "info"));
        CliRun json = CliRun.of(ca("ca", "info", "--json"));

        assertThat(text.exitCode).as(text.toString()).isEqualTo(Keyward.OK);
        assertThat(text.outLines()).contains("newAuthz: no", "keyChange: no", "revokeCert: yes", "renewalInfo: no",
                "caaIdentities: ca.test", "termsOfService: none", "otherResources: x-extra (" + base + "/extra)",
                "profiles: evil (two lines\\u001b[31m\\u202e)");
        assertThat(text.out).doesNotContain("\u001b").doesNotContain("\u202e");
        assertThat(json.exitCode).as(json.toString()).isEqualTo(Keyward.OK);
        assertThat(json.outLines()).hasSize(1);
        assertThat(json.out).doesNotContain("\u001b").doesNotContain("\u202e");
        JsonNode node = new ObjectMapper().readTree(json.out);
        assertThat(node.get("renewalInfo").asBoolean()).isFalse();
        assertThat(node.get("profiles").get("evil").asText()).isEqualTo("two\nlines\u001b[31m\u202e");
        assertThat(node.get("otherMeta").get("x-note").get("a").asInt()).isEqualTo(1);
    }

    @Test
    void renewalInfoOfACaWithoutAriExitsWithOneSayingSo() throws Exception {
        java.nio.file.Path pem = java.nio.file.Files.createTempFile("leaf", ".pem");
        try {
            java.nio.file.Files.writeString(pem, selfIssuedWithAuthorityKeyId());
            CliRun run = CliRun.of(ca("renewal-info", "--cert", pem.toString()));

            assertThat(run.exitCode).as(run.toString()).isEqualTo(Keyward.CA_ERROR);
            assertThat(run.errorLines()).singleElement().asString().contains("renewalInfo");
        } finally {
            java.nio.file.Files.deleteIfExists(pem);
        }
    }

    /** A throwaway certificate with an Authority Key Identifier, so it has an ARI identifier. */
    private static String selfIssuedWithAuthorityKeyId() throws Exception {
        java.security.KeyPair pair = KeyType.EC_P256.generate();
        org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500Name("CN=leaf.keyward.test");
        java.time.Instant now = java.time.Instant.now();
        org.bouncycastle.cert.X509v3CertificateBuilder builder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
                name, java.math.BigInteger.valueOf(now.toEpochMilli()), java.util.Date.from(now),
                java.util.Date.from(now.plusSeconds(86400)), name, pair.getPublic());
        builder.addExtension(org.bouncycastle.asn1.x509.Extension.authorityKeyIdentifier, false,
                new org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils().createAuthorityKeyIdentifier(pair.getPublic()));
        org.bouncycastle.cert.X509CertificateHolder holder = builder.build(
                new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        return "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(holder.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
