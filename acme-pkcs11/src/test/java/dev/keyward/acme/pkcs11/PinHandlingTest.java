package dev.keyward.acme.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.testkit.SoftHsmToken;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The user PIN: copied, cleared after login, checked even when the token is logged in already. */
class PinHandlingTest {
    private static SoftHsmToken primary;
    private static SoftHsmToken secondary;

    @BeforeAll
    static void createTokens() {
        primary = SoftHsmToken.primary();
        secondary = SoftHsmToken.secondary();
    }

    @Test
    void aWrongPinFailsAsWrongPinAndTheMessageNeverHoldsIt() {
        char[] wrong = "999999".toCharArray();

        assertThatThrownBy(() -> Pkcs11KeyStore.builder().library(secondary.library()).tokenLabel(secondary.label())
                .pin(wrong).open())
                .isInstanceOfSatisfying(Pkcs11Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Pkcs11Exception.Reason.WRONG_PIN))
                .hasMessageContaining("wrong PIN for token 'keyward-secondary'")
                .hasMessageContaining("CKR_PIN_INCORRECT")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("999999").doesNotContain(secondary.pinText()));
    }

    @Test
    void aPinOfALengthTheTokenRefusesIsAWrongPinToo() {
        assertThatThrownBy(() -> Pkcs11KeyStore.builder().library(secondary.library()).tokenLabel(secondary.label())
                .pin(new char[] {'1'}).open())
                .isInstanceOfSatisfying(Pkcs11Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Pkcs11Exception.Reason.WRONG_PIN));
    }

    @Test
    void aWrongPinFailsEvenWhileAnotherStoreHoldsTheTokensLogin() throws Exception {
        try (Pkcs11KeyStore open = TestTokens.open(primary)) {
            assertThatThrownBy(() -> Pkcs11KeyStore.builder().library(primary.library()).tokenLabel(primary.label())
                    .pin("000000".toCharArray()).open())
                    .isInstanceOfSatisfying(Pkcs11Exception.class,
                            e -> assertThat(e.reason()).isEqualTo(Pkcs11Exception.Reason.WRONG_PIN))
                    .hasMessageContaining("differs from the PIN of the session open in this JVM");
            try (Pkcs11KeyStore second = TestTokens.open(primary)) {
                assertThat(second.keyLabels()).isEqualTo(open.keyLabels());
            }
            assertThat(open.keyLabels()).as("closing the second store keeps the first logged in").isNotNull();
        }
    }

    @Test
    void thePinCallbacksArrayIsClearedAfterLogin() throws Exception {
        char[][] handedOut = new char[1][];
        PinCallback callback = () -> {
            handedOut[0] = primary.pin();
            return handedOut[0];
        };

        try (Pkcs11KeyStore store = Pkcs11KeyStore.builder().library(primary.library()).tokenLabel(primary.label())
                .pinCallback(callback).open()) {
            assertThat(store.tokenLabel()).isEqualTo(primary.label());
        }
        assertThat(handedOut[0]).hasSize(primary.pinText().length()).containsOnly('\0');
    }

    @Test
    void aPinArrayIsCopiedSoTheCallerMayClearItAndServesOneOpen() throws Exception {
        char[] pin = primary.pin();
        Pkcs11KeyStore.Builder builder = Pkcs11KeyStore.builder().library(primary.library())
                .tokenLabel(primary.label()).pin(pin);
        Arrays.fill(pin, '\0');

        try (Pkcs11KeyStore store = builder.open()) {
            assertThat(store.slotId()).isEqualTo(primary.slotId());
        }
        assertThatThrownBy(builder::open)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cleared by an earlier open()");
        try (Pkcs11KeyStore again = builder.pin(primary.pin()).open()) {
            assertThat(again.slotId()).isEqualTo(primary.slotId());
        }
    }

    @Test
    void aFailingPinCallbackFailsAsPinUnavailable() {
        assertThatThrownBy(() -> Pkcs11KeyStore.builder().library(primary.library()).tokenLabel(primary.label())
                .pinCallback(() -> {
                    throw new IOException("vault unreachable");
                }).open())
                .isInstanceOfSatisfying(Pkcs11Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Pkcs11Exception.Reason.PIN_UNAVAILABLE))
                .hasMessageContaining("vault unreachable");
    }

    @Test
    void noPinForATokenThatNeedsOneFailsAsPinUnavailable() {
        assertThatThrownBy(() -> Pkcs11KeyStore.builder().library(secondary.library()).tokenLabel(secondary.label()).open())
                .isInstanceOfSatisfying(Pkcs11Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Pkcs11Exception.Reason.PIN_UNAVAILABLE))
                .hasMessageContaining("requires a user PIN and none was given");
    }
}
