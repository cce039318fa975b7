package dev.keyward.acme.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PebbleExtensionServerTest {

    private static final PebbleServer.Builder CONFIGURATION = PebbleServer.builder().nonceRejectPercent(50).ordersPerPage(7);

    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder().server(CONFIGURATION).build();

    @Test
    void aRegisteredExtensionStartsPebbleWithTheGivenConfiguration() throws Exception {
        String log = Files.readString(pebble.server().workDirectory().resolve("pebble.log"));

        assertThat(log).contains("Configured to reject 50% of good nonces", "Configured to show 7 orders per page");
    }

    @Test
    void theBuilderIsCopiedSoLaterChangesDoNotLeakIntoTheExtension() {
        CONFIGURATION.nonceRejectPercent(0);

        assertThat(pebble.server().newBuilder().settings().nonceRejectPercent()).isEqualTo(50);
    }

    @Test
    void anExtensionOutsideATestClassHasNoServer() {
        assertThatThrownBy(() -> PebbleExtension.builder().build().server())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("static field");
    }
}
