package dev.keyward.acme.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeNetworkException;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.IssuanceResult;
import dev.keyward.acme.ExternalAccountBinding;
import dev.keyward.acme.Order;
import dev.keyward.acme.RevocationReason;
import dev.keyward.acme.pebble.PebbleFlow;
import dev.keyward.acme.pebble.TestKeys;
import dev.keyward.acme.reliability.TrafficRecorder.Exchange;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The security defaults of issue 5 against a Pebble that requires External Account Binding: TLS is
 * always verified, and extra trust anchors are the only way to widen it (RFC 8555 section 6.1);
 * a plain {@code http://} directory needs an explicit opt-in; and the {@code url} in every JWS is
 * the URL the request goes to (section 6.4), in the outer JWS and in the nested ones of External
 * Account Binding (section 7.3.4) and key rollover (section 7.3.5).
 */
class SecurityDefaultsTest {
    static final String EAB_KID = "kid-security";
    static final String EAB_MAC_KEY = "k3hT0bN0Ew3lX1bOa6-4PGmUuQCFN52Lz2IXjPTgtmfa6NC6gU8H3bXd1JzBfy0Z";

    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder()
            .server(PebbleServer.builder().externalAccountBinding(Map.of(EAB_KID, EAB_MAC_KEY))).build();

    private static final Pattern TRUST_EVERYTHING = Pattern.compile(
            "(?i).*(trust.?all|insecure|unsafe|no.?verif|skip.?verif|disable.?(tls|ssl|verif|cert|hostname)"
                    + "|allow.?(any|all|untrusted|invalid|self.?signed)|accept.?(any|all)|hostname.?verifier"
                    + "|trust.?manager|ssl.?(context|socket)).*");
    private static final Set<Class<?>> TLS_TYPES = Set.of(TrustManager.class, HostnameVerifier.class,
            SSLSocketFactory.class, SSLContext.class);

    @Test
    void aClientWithoutPebblesTrustAnchorRefusesItsCertificateWithANetworkException() {
        try (AcmeClient client = AcmeClient.builder(pebble.server().directoryUri()).build()) {
            assertThatThrownBy(client::fetchDirectory).isInstanceOfSatisfying(AcmeNetworkException.class, e -> {
                assertThat(e).hasCauseInstanceOf(SSLHandshakeException.class)
                        .hasRootCauseInstanceOf(CertPathBuilderException.class);
                assertThat(e.mayHaveTakenEffect()).isFalse();
            });
            assertThatThrownBy(() -> client.newAccount(TestKeys.ecP256()).create())
                    .isInstanceOf(AcmeNetworkException.class);
        }
    }

    @Test
    void aCallersHttpClientWithTheSystemTrustAloneIsRefusedAsWell() {
        OkHttpClient systemTrust = new OkHttpClient();
        try (AcmeClient client = AcmeClient.builder(pebble.server().directoryUri()).httpClient(systemTrust).build()) {
            assertThatThrownBy(client::fetchDirectory).isInstanceOf(AcmeNetworkException.class)
                    .hasCauseInstanceOf(SSLHandshakeException.class);
        } finally {
            PebbleHttpClients.release(systemTrust);
        }
    }

    @Test
    void trustAnchorsOfAnotherCaDoNotMakePebblesCertificateTrusted() {
        AcmeClient client = AcmeClient.builder(pebble.server().directoryUri())
                .trustAnchors(pebble.server().rootCertificates()).build();
        try (client) {
            assertThatThrownBy(client::fetchDirectory).isInstanceOf(AcmeNetworkException.class)
                    .hasCauseInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void noPublicMethodOfTheApiTurnsCertificateVerificationOff() throws Exception {
        List<String> offenders = new ArrayList<>();
        for (Class<?> type : apiTypes()) {
            for (Method method : type.getMethods()) {
                boolean named = TRUST_EVERYTHING.matcher(method.getName()).matches();
                boolean takesTlsMachinery = Stream.of(method.getParameterTypes())
                        .anyMatch(p -> TLS_TYPES.stream().anyMatch(t -> t.isAssignableFrom(p)));
                if (named || takesTlsMachinery) {
                    offenders.add(type.getSimpleName() + "." + method.getName());
                }
            }
        }

        assertThat(apiTypes()).contains(AcmeClient.class, AcmeClient.Builder.class);
        assertThat(offenders).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://127.0.0.1:14000/dir", "HTTP://127.0.0.1:14000/dir", "http://acme.example/dir"})
    void aPlainHttpDirectoryIsRefusedWithoutAnExplicitOptIn(String directory) {
        AcmeClient.Builder builder = AcmeClient.builder(URI.create(directory));

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("allowPlainHttp");
    }

    @Test
    void aPlainHttpDirectoryIsAcceptedOnlyWithTheOptIn() {
        URI directory = URI.create("http://127.0.0.1:14000/dir");

        try (AcmeClient client = AcmeClient.builder(directory).allowPlainHttp(true).build()) {
            assertThat(client.directoryUrl()).isEqualTo(directory);
        }
        assertThatThrownBy(() -> AcmeClient.builder(directory).allowPlainHttp(false).build())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theUrlOfEveryJwsIsTheUrlTheRequestIsSentTo() throws Exception {
        TrafficRecorder traffic = new TrafficRecorder();
        OkHttpClient http = PebbleHttpClients.trusting(pebble.server(), traffic);
        PebbleFlow flow = new PebbleFlow(pebble.server());
        try (AcmeClient client = PebbleHttpClients.acmeClient(pebble.server(), http)) {
            Account account = client.newAccount(TestKeys.ecP256()).agreeToTermsOfService()
                    .externalAccountBinding(ExternalAccountBinding.of(EAB_KID, EAB_MAC_KEY)).create();
            account = account.updateContacts(List.of("mailto:security@keyward.test"));
            IssuanceResult issued = flow.issuance(account, List.of(PebbleFlow.uniqueName("url")),
                    PebbleFlow.Method.HTTP01, TestKeys.ecP256());
            Order order = issued.order();
            CertificateChain chain = issued.chain();
            Account rolled = account.changeKey(TestKeys.rsa2048());
            rolled.fetch();
            rolled.revoke(chain.leaf(), RevocationReason.SUPERSEDED);
            rolled.fetchOrder(order.url()).deactivateAuthorizations();
            rolled.deactivate();
        } finally {
            PebbleHttpClients.release(http);
        }

        List<Exchange> posts = traffic.posts();
        assertThat(posts).hasSizeGreaterThan(10);
        assertThat(posts).allSatisfy(post -> assertThat(post.jwsUrl()).as("JWS url of POST %s", post.url())
                .contains(post.url()));
        Exchange newAccount = posts.stream().filter(p -> p.payload() != null
                && p.payload().has("externalAccountBinding")).findFirst().orElseThrow();
        assertThat(nestedJwsUrl(newAccount.payload().get("externalAccountBinding")))
                .as("url of the External Account Binding JWS").isEqualTo(newAccount.url());
        Exchange keyChange = posts.stream().filter(p -> p.payload() != null && p.payload().has("protected"))
                .findFirst().orElseThrow();
        assertThat(nestedJwsUrl(keyChange.payload())).as("url of the inner key-change JWS").isEqualTo(keyChange.url());
    }

    private static String nestedJwsUrl(JsonNode jws) {
        return TrafficRecorder.text(TrafficRecorder.decoded(jws, "protected"), "url").orElse(null);
    }

    /** The public types of the API package, from the compiled classes next to {@link AcmeClient}. */
    private static List<Class<?>> apiTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(AcmeClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path api = root.resolve("dev/keyward/acme");
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.list(api)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                String binaryName = file.getFileName().toString().replace(".class", "");
                if (binaryName.contains("-")) {
                    continue;
                }
                Class<?> type = Class.forName("dev.keyward.acme." + binaryName, false, AcmeClient.class.getClassLoader());
                if (Modifier.isPublic(type.getModifiers())) {
                    types.add(type);
                }
            }
        }
        return types;
    }
}
