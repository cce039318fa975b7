package dev.keyward.acme.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PebbleServerBuilderTest {

    @Test
    void defaultsAreDeterministicExceptAuthorizationReuseWhichIsPebblesOwnFiftyPercent() {
        PebbleSettings settings = PebbleServer.builder().settings();

        assertThat(settings.environment()).containsExactly(
                Map.entry("PEBBLE_WFE_NONCEREJECT", "0"),
                Map.entry("PEBBLE_AUTHZREUSE", "50"),
                Map.entry("PEBBLE_VA_NOSLEEP", "1"),
                Map.entry("PEBBLE_WFE_ORDERS_PER_PAGE", "3"),
                Map.entry("PEBBLE_ALTERNATE_ROOTS", "0"));
        assertThat(settings.startupTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.externalAccountBindingRequired()).isFalse();
        assertThat(settings.certificateValidity()).isEmpty();
    }

    @Test
    void everyOptionReachesTheEnvironment() {
        PebbleSettings settings = PebbleServer.builder()
                .nonceRejectPercent(50)
                .authorizationReusePercent(100)
                .vaNoSleep(false)
                .ordersPerPage(1)
                .chainLength(3)
                .alternateRoots(2)
                .settings();

        assertThat(settings.environment())
                .containsEntry("PEBBLE_WFE_NONCEREJECT", "50")
                .containsEntry("PEBBLE_AUTHZREUSE", "100")
                .doesNotContainKey("PEBBLE_VA_NOSLEEP")
                .containsEntry("PEBBLE_WFE_ORDERS_PER_PAGE", "1")
                .containsEntry("PEBBLE_CHAIN_LENGTH", "3")
                .containsEntry("PEBBLE_ALTERNATE_ROOTS", "2");
    }

    @Test
    void invalidValuesAreRejectedWhenSet() {
        PebbleServer.Builder builder = PebbleServer.builder();

        assertThatThrownBy(() -> builder.nonceRejectPercent(101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.nonceRejectPercent(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.authorizationReusePercent(101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.ordersPerPage(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.chainLength(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.alternateRoots(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.certificateValidity(Duration.ofMillis(999)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.startupTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.pebbleBinary(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void externalAccountBindingNeedsUnpaddedBase64UrlKeys() {
        PebbleServer.Builder builder = PebbleServer.builder();

        assertThatThrownBy(() -> builder.externalAccountBinding(Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.externalAccountBinding(Map.of("kid", "YWJj=")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.externalAccountBinding(Map.of("kid", "a+b/")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.externalAccountBinding(Map.of(" ", "YWJj")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theConfigFileNamesLoopbackAddressesTheTlsPairAndTheExternalAccountKeys(@TempDir Path directory) {
        PebbleSettings settings = PebbleServer.builder()
                .externalAccountBinding(Map.of("kid-1", "YWJj"))
                .certificateValidity(Duration.ofDays(1))
                .settings();
        TlsMaterial tls = TlsMaterial.generate(directory);

        String json = PebbleConfigFile.render(settings, new PebblePorts(1, 2, 3, 4, 5, 6), tls);

        assertThat(json)
                .contains("\"listenAddress\": \"127.0.0.1:1\"")
                .contains("\"managementListenAddress\": \"127.0.0.1:2\"")
                .contains("\"certificate\": \"" + tls.certificateFile() + "\"")
                .contains("\"privateKey\": \"" + tls.privateKeyFile() + "\"")
                .contains("\"httpPort\": 3")
                .contains("\"tlsPort\": 4")
                .contains("\"ocspResponderURL\": \"\"")
                .contains("\"certificateValidityPeriod\": 86400")
                .contains("\"externalAccountMACKeys\": {\"kid-1\": \"YWJj\"}")
                .contains("\"externalAccountBindingRequired\": true");
    }

    @Test
    void byDefaultTheConfigOffersOneProfileOfPebblesNinetyDaysAndNoRetryAfter(@TempDir Path directory) {
        String json = PebbleConfigFile.render(PebbleServer.builder().settings(), new PebblePorts(1, 2, 3, 4, 5, 6),
                TlsMaterial.generate(directory));

        assertThat(json)
                .contains("\"profiles\": {\"default\": {\"description\": \"The test kit's only profile\","
                        + " \"validityPeriod\": 7776000}}")
                .doesNotContain("retryAfter")
                .doesNotContain("certificateValidityPeriod");
    }

    @Test
    void certificateValidityIsTheDefaultProfilesValidityPeriod() {
        PebbleSettings settings = PebbleServer.builder().certificateValidity(Duration.ofHours(36)).settings();

        assertThat(settings.effectiveProfiles())
                .containsExactly(Map.entry("default", new PebbleProfile("The test kit's only profile", Duration.ofHours(36))));
    }

    @Test
    void namedProfilesReplaceTheDefaultOneAndRetryAfterIsWrittenInSeconds(@TempDir Path directory) {
        PebbleSettings settings = PebbleServer.builder()
                .certificateValidity(Duration.ofDays(1))
                .profiles(Map.of("shortlived", new PebbleProfile("Six \"short\" days", Duration.ofDays(6)),
                        "classic", new PebbleProfile("Ninety days", Duration.ofDays(90))))
                .retryAfter(Duration.ofSeconds(3), Duration.ofMillis(5900))
                .settings();

        String json = PebbleConfigFile.render(settings, new PebblePorts(1, 2, 3, 4, 5, 6), TlsMaterial.generate(directory));

        assertThat(json)
                .contains("\"profiles\": {\"classic\": {\"description\": \"Ninety days\", \"validityPeriod\": 7776000},"
                        + " \"shortlived\": {\"description\": \"Six \\\"short\\\" days\", \"validityPeriod\": 518400}}")
                .contains("\"retryAfter\": {\"authz\": 3, \"order\": 5}")
                .doesNotContain("\"default\"");
    }

    @Test
    void profilesAndRetryAfterAreValidatedWhenSet() {
        PebbleServer.Builder builder = PebbleServer.builder();

        assertThatThrownBy(() -> builder.profiles(Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.profiles(Map.of(" ", new PebbleProfile("blank", Duration.ofDays(1)))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PebbleProfile("too short", Duration.ofMillis(999)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PebbleProfile(null, Duration.ofDays(1))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.retryAfter(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.retryAfter(Duration.ofSeconds(1), Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void newBuilderKeepsProfilesAndRetryAfter() {
        PebbleServer server = PebbleServer.builder()
                .profiles(Map.of("p", new PebbleProfile("P", Duration.ofDays(2))))
                .retryAfter(Duration.ofSeconds(2), Duration.ofSeconds(4))
                .build();

        PebbleSettings copy = server.newBuilder().settings();

        assertThat(copy.profiles()).containsExactly(Map.entry("p", new PebbleProfile("P", Duration.ofDays(2))));
        assertThat(copy.retryAfter()).contains(new PebbleSettings.RetryAfter(Duration.ofSeconds(2), Duration.ofSeconds(4)));
    }

    @Test
    void aDomainBlocklistIsWrittenToTheConfigKeptByNewBuilderAndValidatedWhenSet(@TempDir Path directory) {
        PebbleServer server = PebbleServer.builder().domainBlocklist(List.of("blocked.example.test", "other.test")).build();
        PebbleSettings settings = server.newBuilder().settings();

        String json = PebbleConfigFile.render(settings, new PebblePorts(1, 2, 3, 4, 5, 6), TlsMaterial.generate(directory));

        assertThat(settings.domainBlocklist()).containsExactly("blocked.example.test", "other.test");
        assertThat(json).contains("\"domainBlocklist\": [\"blocked.example.test\", \"other.test\"]");
        assertThat(PebbleConfigFile.render(PebbleServer.builder().settings(), new PebblePorts(1, 2, 3, 4, 5, 6),
                TlsMaterial.generate(directory))).doesNotContain("domainBlocklist");
        assertThatThrownBy(() -> PebbleServer.builder().domainBlocklist(List.of(" "))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PebbleServer.builder().domainBlocklist(List.of("a\"b"))).isInstanceOf(IllegalArgumentException.class);
    }
}
