package dev.keyward.acme.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
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
}
