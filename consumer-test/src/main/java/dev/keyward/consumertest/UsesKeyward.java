package dev.keyward.consumertest;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.kms.aws.KmsSigners;
import dev.keyward.acme.manager.CertificateManager;
import dev.keyward.acme.pkcs11.Pkcs11KeyStore;

/** Compiles against one public type of every published module, as a consumer's code would. */
public final class UsesKeyward {
    private UsesKeyward() {
    }

    /** @return the public types, so that none of the imports is unused */
    public static Class<?>[] types() {
        return new Class<?>[] {AcmeClient.class, CertificateManager.class, Pkcs11KeyStore.class, KmsSigners.class};
    }
}
