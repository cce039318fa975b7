package dev.keyward.acme.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.SignatureAlgorithm;
import dev.keyward.acme.testkit.OpenCryptokiToken;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keys that Keyward generates inside the token, on every module (SoftHSM2, openCryptoki): their
 * protection as the token reports it, and signing with keys that have no certificate, named by label
 * ({@code object=}) or by id ({@code id=}) as RFC 7512 names them.
 */
class GeneratedKeysTest {
    static Stream<TestTokens.Token> modules() {
        return TestTokens.everyModule();
    }

    static Stream<Arguments> modulesAndTypes() {
        List<Arguments> cases = new ArrayList<>();
        TestTokens.everyModule().forEach(token -> {
            for (Pkcs11KeyType type : token.keyTypes) {
                cases.add(Arguments.of(token, type, type.isEc()
                        ? type == Pkcs11KeyType.EC_P256 ? SignatureAlgorithm.ES256 : SignatureAlgorithm.ES384
                        : SignatureAlgorithm.RS256));
            }
        });
        return cases.stream();
    }

    private static String label(String base) {
        return OpenCryptokiToken.uniqueLabel(base);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("modulesAndTypes")
    void aKeyGeneratedInTheTokenIsSensitiveNotExtractablePrivateAndATokenObject(TestTokens.Token token,
            Pkcs11KeyType type, SignatureAlgorithm algorithm) throws Exception {
        String label = label("gen-" + type.name().toLowerCase());
        try (Pkcs11KeyStore store = token.open()) {
            AcmeSigner generated = store.generateKeyPair(label, type);

            Pkcs11KeyProtection protection = store.keyProtection(label);
            assertThat(protection.token()).as("CKA_TOKEN").isTrue();
            assertThat(protection.privateObject()).as("CKA_PRIVATE").isTrue();
            assertThat(protection.sensitive()).as("CKA_SENSITIVE").isTrue();
            assertThat(protection.extractable()).as("CKA_EXTRACTABLE").isFalse();
            assertThat(protection.alwaysSensitive()).as("CKA_ALWAYS_SENSITIVE").isTrue();
            assertThat(protection.neverExtractable()).as("CKA_NEVER_EXTRACTABLE").isTrue();
            assertThat(protection.local()).as("CKA_LOCAL: made in the token").isTrue();
            assertThat(protection.staysInToken()).isTrue();
            assertThat(generated.algorithm()).isEqualTo(algorithm);
            if (type.isEc()) {
                assertThat(generated.publicKey()).isInstanceOf(ECPublicKey.class);
            } else {
                assertThat(((RSAPublicKey) generated.publicKey()).getModulus().bitLength()).isEqualTo(type.modulusBits());
            }
            assertVerifies(generated, "generated");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void aKeyWithoutACertificateSignsWhenAnotherStoreFindsItByLabelOrById(TestTokens.Token token) throws Exception {
        String label = label("no-certificate");
        AcmeSigner generated;
        try (Pkcs11KeyStore store = token.open()) {
            generated = store.generateKeyPair(label, token.signingType());
        }
        try (Pkcs11KeyStore store = token.open()) {
            AcmeSigner byLabel = store.signer(label);

            assertThat(byLabel.publicKey()).isEqualTo(generated.publicKey());
            assertVerifies(byLabel, "by label");
            assertThat(store.keyLabels()).contains(label);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void idNamesTheKeyByItsCkaIdAndLabelWithIdMustBothMatch(TestTokens.Token token) throws Exception {
        String label = label("by-id");
        try (Pkcs11KeyStore store = token.open()) {
            AcmeSigner generated = store.generateKeyPair(label, Pkcs11KeyType.RSA_2048);
            byte[] id = store.keyId(label);

            AcmeSigner byId = store.signerById(id);
            AcmeSigner byBoth = store.signer(label, id);

            assertThat(id).hasSize(16);
            assertThat(byId.publicKey()).isEqualTo(generated.publicKey());
            assertThat(byBoth.publicKey()).isEqualTo(generated.publicKey());
            assertVerifies(byId, "by id");
            byte[] otherId = id.clone();
            otherId[0] ^= 1;
            assertThatThrownBy(() -> store.signer(label, otherId))
                    .isInstanceOfSatisfying(Pkcs11Exception.class,
                            e -> assertThat(e.reason()).isEqualTo(Pkcs11Exception.Reason.KEY_NOT_FOUND))
                    .hasMessageContaining("no private key labelled '" + label + "' with id=");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void aSecondKeyUnderTheSameLabelIsRefusedSoALabelNamesOneKey(TestTokens.Token token) throws Exception {
        String label = label("taken");
        try (Pkcs11KeyStore store = token.open()) {
            AcmeSigner first = store.generateKeyPair(label, token.signingType());

            assertThatThrownBy(() -> store.generateKeyPair(label, token.signingType()))
                    .isInstanceOfSatisfying(Pkcs11Exception.class,
                            e -> assertThat(e.reason()).isEqualTo(Pkcs11Exception.Reason.KEY_EXISTS))
                    .hasMessageContaining("a private key labelled '" + label + "' exists already");
            assertThat(store.signer(label).publicKey()).isEqualTo(first.publicKey());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void oneSignerSignsFromManyThreadsEachInASessionOfItsOwn(TestTokens.Token token) throws Exception {
        try (Pkcs11KeyStore store = token.open()) {
            AcmeSigner signer = store.generateKeyPair(label("threads"), token.signingType());
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    byte[] data = ("request " + i).getBytes(StandardCharsets.US_ASCII);
                    results.add(threads.submit(() -> verifies(signer, data)));
                }
                for (Future<Boolean> result : results) {
                    assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void aMessageNamesTokenAndKeyButNeverThePin(TestTokens.Token token) throws Exception {
        try (Pkcs11KeyStore store = token.open()) {
            assertThatThrownBy(() -> store.signer("no-such-key-" + token.pinText.length()))
                    .isInstanceOf(Pkcs11Exception.class)
                    .hasMessageContaining("token '" + token.label + "' (slot " + token.slotId + ")")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token.pinText));
            assertThat(store.toString()).doesNotContain(token.pinText);
        }
    }

    @Test
    void onATokenWithoutEcMechanismsAnEcKeyIsRefusedNamingTheMissingMechanism() throws Exception {
        TestTokens.Token openCryptoki = TestTokens.openCryptoki();
        try (Pkcs11KeyStore store = openCryptoki.open()) {
            assertThatThrownBy(() -> store.generateKeyPair(label("no-ec"), Pkcs11KeyType.EC_P256))
                    .isInstanceOfSatisfying(Pkcs11Exception.class,
                            e -> assertThat(e.reason()).isEqualTo(Pkcs11Exception.Reason.UNSUPPORTED_KEY))
                    .hasMessageContaining("does not offer the mechanism CKM_EC_KEY_PAIR_GEN")
                    .hasMessageContaining("token 'keyward-ock'");
        }
    }

    private static void assertVerifies(AcmeSigner signer, String how) throws Exception {
        assertThat(verifies(signer, ("signed " + how).getBytes(StandardCharsets.UTF_8)))
                .as("a signature made %s verifies with the public key", how).isTrue();
    }

    private static boolean verifies(AcmeSigner signer, byte[] data) throws Exception {
        Signature verifier = Signature.getInstance(signer.algorithm().jcaName());
        verifier.initVerify(signer.publicKey());
        verifier.update(data);
        return verifier.verify(signer.sign(data));
    }
}
