package dev.keyward.acme.pebble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeServerException;
import dev.keyward.acme.AcmeUnauthorizedException;
import dev.keyward.acme.ExternalAccountBinding;
import dev.keyward.acme.MacAlgorithm;
import dev.keyward.acme.Status;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** External Account Binding (RFC 8555 section 7.3.4) against a Pebble that requires it. */
class ExternalAccountBindingAgainstPebbleTest {
    private static final String KID = "kid-1";
    /** 64 bytes: Pebble 2.10 (go-jose v4) refuses an HMAC key shorter than the hash, so HS512 needs 64. */
    private static final String MAC_KEY = "hzE_N0YUQ0oUxc6h9g_jLo9869EqBd7iQmmjWW2ZuVQRFp3tAcVeJLFK0yMio_W8I2cDazcxXK1ZJwMaZqKsAQ";

    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder()
            .server(PebbleServer.builder().externalAccountBinding(Map.of(KID, MAC_KEY))).build();

    private AcmeClient client;

    @BeforeEach
    void connect() {
        client = new PebbleFlow(pebble.server()).client();
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void theDirectorySaysExternalAccountBindingIsRequired() throws Exception {
        assertThat(client.fetchDirectory().meta().externalAccountRequired()).isTrue();
    }

    @Test
    void registrationWithoutBindingIsRefused() {
        assertThatThrownBy(() -> client.newAccount(TestKeys.ecP256()).agreeToTermsOfService().create())
                .isInstanceOfSatisfying(AcmeServerException.class,
                        e -> assertThat(e.problem().isAcmeError("externalAccountRequired")).isTrue());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(MacAlgorithm.class)
    void registrationWithTheBindingIsAccepted(MacAlgorithm algorithm) throws Exception {
        Account account = client.newAccount(TestKeys.ecP256()).agreeToTermsOfService()
                .externalAccountBinding(ExternalAccountBinding.of(KID, MAC_KEY).withAlgorithm(algorithm)).create();

        assertThat(account.status()).isEqualTo(Status.VALID);
    }

    @Test
    void registrationWithAWrongMacIsRefusedAsUnauthorized() {
        String wrongKey = "9yg73du9yGDq2aAXUr9R-YKVRPlKkyJIa88VF22jJv8IeMWg3ci-W0z1PZQPNOWhlaVXdwqI051eDXwGdNSUcg";

        assertThatThrownBy(() -> client.newAccount(TestKeys.ecP256()).agreeToTermsOfService()
                .externalAccountBinding(ExternalAccountBinding.of(KID, wrongKey)).create())
                .isInstanceOf(AcmeUnauthorizedException.class);
    }

    @Test
    void theMacKeyNeverAppearsInTheBindingsToString() {
        assertThat(ExternalAccountBinding.of(KID, MAC_KEY).toString()).contains(KID).doesNotContain(MAC_KEY)
                .doesNotContain(MAC_KEY.substring(0, 8));
    }
}
