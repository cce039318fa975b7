package dev.keyward.acme.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.ProviderException;
import java.security.SignatureException;
import org.junit.jupiter.api.Test;

/** Cryptographic failures said in words: no class name, no provider text but a PKCS#11 return code. */
class FailuresTest {
    @Test
    void aPkcs11ReturnCodeIsNamedWhereverItIsInTheCauses() {
        Exception failure = new ProviderException("sign failed",
                new Exception("sun.security.pkcs11.wrapper.PKCS11Exception: CKR_DEVICE_REMOVED"));

        assertThat(Failures.crypto(failure)).isEqualTo("the token answered CKR_DEVICE_REMOVED");
    }

    @Test
    void eachKindOfFailureHasItsWordsAndTheProvidersTextStaysOut() {
        assertThat(Failures.crypto(new InvalidKeyException("key bytes 3082 01 22 are wrong")))
                .isEqualTo("the key cannot be used for this algorithm");
        assertThat(Failures.crypto(new NoSuchAlgorithmException("SHA256withECDSA not found")))
                .isEqualTo("the algorithm is not available in this Java runtime or provider");
        assertThat(Failures.crypto(new SignatureException("could not sign")))
                .isEqualTo("the signature could not be made or checked");
        assertThat(Failures.crypto(new ProviderException())).isEqualTo("the key's provider failed");
        assertThat(Failures.crypto(new IllegalStateException())).isEqualTo("an internal error without a reason given");
        assertThat(Failures.crypto(new InvalidKeyException("x"))).doesNotContain("Exception").doesNotContain("3082");
    }
}
