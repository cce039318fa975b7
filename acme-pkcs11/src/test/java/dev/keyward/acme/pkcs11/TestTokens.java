package dev.keyward.acme.pkcs11;

import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.testkit.OpenCryptokiToken;
import dev.keyward.acme.testkit.SoftHsmToken;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Store builders for the test kit's tokens: SoftHSM2's and openCryptoki's soft token. */
final class TestTokens {
    private TestTokens() {
    }

    /** A token of one module, as the tests that run on every module see it. */
    static final class Token {
        final String module;
        final Path library;
        final String label;
        final long slotId;
        private final Supplier<char[]> pin;
        final String pinText;
        /** The key types the module's token can generate and sign with. */
        final List<Pkcs11KeyType> keyTypes;

        Token(String module, Path library, String label, long slotId, Supplier<char[]> pin, String pinText,
                List<Pkcs11KeyType> keyTypes) {
            this.module = module;
            this.library = library;
            this.label = label;
            this.slotId = slotId;
            this.pin = pin;
            this.pinText = pinText;
            this.keyTypes = keyTypes;
        }

        /** A key type this token signs with: EC P-256 where it can. */
        Pkcs11KeyType signingType() {
            return keyTypes.get(0);
        }

        Pkcs11KeyStore open() throws Pkcs11Exception {
            return Pkcs11KeyStore.builder().library(library).tokenLabel(label).pin(pin.get()).open();
        }

        @Override
        public String toString() {
            return module;
        }
    }

    static Token softHsm() {
        SoftHsmToken token = SoftHsmToken.primary();
        return new Token("SoftHSM2", token.library(), token.label(), token.slotId(), token::pin, token.pinText(),
                List.of(Pkcs11KeyType.values()));
    }

    static Token openCryptoki() {
        OpenCryptokiToken token = OpenCryptokiToken.softToken();
        // Debian's openCryptoki 3.8 soft token has no EC mechanisms, and no CKM_SHA256_RSA_PKCS either:
        // RSA signs there with CKM_RSA_PKCS over a DigestInfo.
        return new Token("openCryptoki", token.library(), token.label(), token.slotId(), token::pin, token.pinText(),
                List.of(Pkcs11KeyType.RSA_2048, Pkcs11KeyType.RSA_3072));
    }

    /** Both modules' tokens, for parameterized tests: every PKCS#11 case runs on each. */
    static Stream<Token> everyModule() {
        return Stream.of(softHsm(), openCryptoki());
    }

    /** A builder for {@code token}, chosen by label, with its PIN. */
    static Pkcs11KeyStore.Builder builder(SoftHsmToken token) {
        return Pkcs11KeyStore.builder().library(token.library()).tokenLabel(token.label()).pin(token.pin());
    }

    /** Opens {@code token}, chosen by label, with its PIN. */
    static Pkcs11KeyStore open(SoftHsmToken token) throws Pkcs11Exception {
        return builder(token).open();
    }

    /**
     * The {@code CKA_ID} that keytool (SunPKCS11) gives the private key it stores under an alias: the
     * alias in UTF-8. keytool leaves the private key without a {@code CKA_LABEL}; only the
     * certificate is labelled with the alias.
     */
    static byte[] keytoolId(String alias) {
        return alias.getBytes(StandardCharsets.UTF_8);
    }

    /** The signer of a key keytool made, found as RFC 7512 finds it: by {@code id=}. */
    static AcmeSigner keytoolKey(Pkcs11KeyStore store, String alias) throws Pkcs11Exception {
        return store.signerById(keytoolId(alias));
    }
}
