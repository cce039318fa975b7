package dev.keyward.acme.pkcs11;

import dev.keyward.acme.testkit.SoftHsmToken;

/** Store builders for the test kit's SoftHSM tokens. */
final class TestTokens {
    private TestTokens() {
    }

    /** A builder for {@code token}, chosen by label, with its PIN. */
    static Pkcs11KeyStore.Builder builder(SoftHsmToken token) {
        return Pkcs11KeyStore.builder().library(token.library()).tokenLabel(token.label()).pin(token.pin());
    }

    /** Opens {@code token}, chosen by label, with its PIN. */
    static Pkcs11KeyStore open(SoftHsmToken token) throws Pkcs11Exception {
        return builder(token).open();
    }
}
