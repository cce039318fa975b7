package dev.keyward.acme.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What a failure tells an operator: hints that fit the module, not SoftHSM's everywhere. */
class MessagesTest {
    @Test
    void anOpenCryptokiInitializeFailureNamesItsSlotDaemonNotSoftHsm() {
        String hint = Cryptoki.initializeHint(
                Path.of("/usr/lib/x86_64-linux-gnu/opencryptoki/libopencryptoki.so.0.0.0"), ReturnValues.CKR_HOST_MEMORY);

        assertThat(hint).contains("pkcsslotd").contains("CKR_HOST_MEMORY").doesNotContain("SOFTHSM2_CONF");
    }

    @Test
    void aSoftHsmInitializeFailureNamesItsConfiguration() {
        assertThat(Cryptoki.initializeHint(Path.of("/usr/lib/softhsm/libsofthsm2.so"), 0x6))
                .contains("SOFTHSM2_CONF").doesNotContain("pkcsslotd");
    }

    @Test
    void anotherModulesInitializeFailureCarriesNoHintAboutEitherSoftToken() {
        assertThat(Cryptoki.initializeHint(Path.of("/usr/lib/x86_64-linux-gnu/pkcs11/libtpm2_pkcs11.so"), 0x6)).isEmpty();
    }

    @Test
    void keyNamesInMessagesArePercentEncodedAsRfc7512WritesThem() {
        assertThat(KeyName.found("acct key", new byte[] {0x01, (byte) 0xAB, 'k'}).uriPath())
                .isEqualTo("object=acct%20key;id=%01%ABk");
        assertThat(KeyName.of(null, "keys-ec256".getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString())
                .isEqualTo("key id=keys-ec256");
    }
}
