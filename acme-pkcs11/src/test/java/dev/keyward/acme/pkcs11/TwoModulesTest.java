package dev.keyward.acme.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.testkit.OpenCryptokiToken;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two PKCS#11 modules in one JVM, SoftHSM2 and openCryptoki: a key name only ever reaches the module
 * and token it names. Each module is loaded privately ({@code RTLD_LOCAL}); loaded into the global
 * symbol scope, the module loaded first would answer the other's calls, listing its tokens and
 * signing with its keys.
 */
class TwoModulesTest {
    private static TestTokens.Token softHsm;
    private static TestTokens.Token openCryptoki;

    @BeforeAll
    static void loadBothModules() throws Exception {
        // openCryptoki first: the order in which the fault was seen. SoftHSM's tokens exist already.
        openCryptoki = TestTokens.openCryptoki();
        softHsm = TestTokens.softHsm();
        Cryptoki.load(openCryptoki.library.toRealPath());
        Cryptoki.load(softHsm.library.toRealPath());
    }

    @Test
    void eachModuleListsItsOwnTokensOnly() throws Exception {
        List<String> softHsmTokens = labels(softHsm.library);
        List<String> openCryptokiTokens = labels(openCryptoki.library);

        assertThat(softHsmTokens).contains("keyward-primary", "keyward-secondary").doesNotContain(OpenCryptokiToken.LABEL);
        assertThat(openCryptokiTokens).contains(OpenCryptokiToken.LABEL).doesNotContain("keyward-primary");
    }

    @Test
    void aKeyOfTheSameLabelInEachModuleSignsWithThatModulesKey() throws Exception {
        String label = OpenCryptokiToken.uniqueLabel("two-modules");
        try (Pkcs11KeyStore inOpenCryptoki = openCryptoki.open(); Pkcs11KeyStore inSoftHsm = softHsm.open()) {
            AcmeSigner openCryptokiKey = inOpenCryptoki.generateKeyPair(label, Pkcs11KeyType.RSA_2048);
            AcmeSigner softHsmKey = inSoftHsm.generateKeyPair(label, Pkcs11KeyType.RSA_2048);

            assertThat(softHsmKey.publicKey()).isNotEqualTo(openCryptokiKey.publicKey());
            assertThat(inSoftHsm.signer(label).publicKey()).isEqualTo(softHsmKey.publicKey());
            assertThat(inOpenCryptoki.signer(label).publicKey()).isEqualTo(openCryptokiKey.publicKey());
            byte[] data = "which token signed this?".getBytes(StandardCharsets.UTF_8);
            assertThat(verifies(softHsmKey.publicKey(), inSoftHsm.signer(label).sign(data), data)).isTrue();
            assertThat(verifies(openCryptokiKey.publicKey(), inOpenCryptoki.signer(label).sign(data), data)).isTrue();
            assertThat(verifies(openCryptokiKey.publicKey(), inSoftHsm.signer(label).sign(data), data)).isFalse();
        }
    }

    @Test
    void aKeyInOneModuleIsNotFoundThroughTheOther() throws Exception {
        String label = OpenCryptokiToken.uniqueLabel("only-in-opencryptoki");
        try (Pkcs11KeyStore inOpenCryptoki = openCryptoki.open(); Pkcs11KeyStore inSoftHsm = softHsm.open()) {
            inOpenCryptoki.generateKeyPair(label, Pkcs11KeyType.RSA_2048);

            assertThatThrownBy(() -> inSoftHsm.signer(label))
                    .isInstanceOfSatisfying(Pkcs11Exception.class,
                            e -> assertThat(e.reason()).isEqualTo(Pkcs11Exception.Reason.KEY_NOT_FOUND));
        }
    }

    @Test
    void theOpenCryptokiTokenLabelIsNotFoundInSoftHsmsModule() {
        assertThatThrownBy(() -> Pkcs11KeyStore.builder().library(softHsm.library).tokenLabel(OpenCryptokiToken.LABEL)
                .pin(openCryptoki.pinText.toCharArray()).open())
                .isInstanceOfSatisfying(Pkcs11Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Pkcs11Exception.Reason.TOKEN_NOT_FOUND))
                .hasMessageContaining("no token labelled '" + OpenCryptokiToken.LABEL + "'");
    }

    private static List<String> labels(Path library) throws Exception {
        return Cryptoki.load(library.toRealPath()).slots().stream().filter(Cryptoki.Slot::hasInitializedToken)
                .map(slot -> slot.label).collect(Collectors.toList());
    }

    private static boolean verifies(java.security.PublicKey key, byte[] signature, byte[] data) throws Exception {
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(key);
        verifier.update(data);
        return verifier.verify(signature);
    }
}
