package dev.keyward.acme.pkcs11;

import java.nio.file.Path;

/**
 * The SunPKCS11 configuration (JDK PKCS#11 Reference Guide) for one slot, in the inline form that
 * {@link java.security.Provider#configure(String)} takes after {@code --}. SunPKCS11 reads a slot id
 * as a Java {@code int}; larger ids are given by their slot list index instead.
 */
final class SunPkcs11Config {
    private SunPkcs11Config() {
    }

    static String of(Path library, Cryptoki.Slot slot) {
        String path = library.toString();
        if (path.indexOf('"') >= 0 || path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0 || path.contains("${")) {
            throw new IllegalArgumentException("SunPKCS11 cannot be configured with a library path that holds"
                    + " a quote, a line break or ${: " + library);
        }
        String selection = slot.id <= Integer.MAX_VALUE
                ? "slot = " + slot.id
                : "slotListIndex = " + slot.listIndex;
        return "--name = keyward-slot-" + slot.id + "\n"
                + "library = \"" + path.replace("\\", "\\\\") + "\"\n"
                + selection + "\n";
    }
}
