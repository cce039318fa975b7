package dev.keyward.consumertest;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.jdbc.CsrQueue;
import dev.keyward.acme.kms.aws.KmsSigners;
import dev.keyward.acme.manager.CertificateManager;
import dev.keyward.acme.pkcs11.Pkcs11KeyStore;

/** Compiles against one public type of every published module, as a consumer's code would. */
public final class UsesKeyward {
    private UsesKeyward() {
    }

    /** @return the public types, so that none of the imports is unused */
    public static Class<?>[] types() {
        return new Class<?>[] {AcmeClient.class, CertificateManager.class, CsrQueue.class, Pkcs11KeyStore.class,
            KmsSigners.class};
    }

    /**
     * Prints the module of each public type; fails when one is not in the named module it should be.
     *
     * @param args none
     */
    public static void main(String[] args) {
        for (Class<?> type : types()) {
            Module module = type.getModule();
            if (!module.isNamed() || !module.getDescriptor().name().startsWith("dev.keyward.acme")) {
                throw new IllegalStateException(type.getName() + " is in " + module + ", not a Keyward module");
            }
            System.out.println(type.getSimpleName() + " in module " + module.getName());
        }
        System.out.println(ModuleLayer.boot().modules().size() + " modules resolved; class path: ["
                + System.getProperty("java.class.path", "") + "]");
    }
}
