package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** RFC 7512 PKCS#11 URIs as the command line reads them. */
class Pkcs11UriTest {
    private static final String MODULE = "?module-path=/usr/lib/softhsm/libsofthsm2.so";

    @Test
    void percentEncodedValuesAreDecodedAndThePinNeverShows() throws Exception {
        Pkcs11Uri uri = Pkcs11Uri.parse("pkcs11:token=ops%20team;object=acct%2Fkey;type=private"
                + "?module-path=/opt/hsm%20lib/p11.so&pin-value=12%2534");

        assertThat(uri.toString()).isEqualTo("pkcs11:token=ops team;object=acct/key?module-path=/opt/hsm lib/p11.so")
                .doesNotContain("12%34").doesNotContain("1234");
    }

    @Test
    void aRedactedUriMasksThePinValueAndLeavesFilePathsAlone() {
        assertThat(Pkcs11Uri.redacted("pkcs11:token=ops;object=acct" + MODULE + "&pin-value=1234&x=y"))
                .isEqualTo("pkcs11:token=ops;object=acct" + MODULE + "&pin-value=***&x=y");
        assertThat(Pkcs11Uri.redacted("pkcs11:token=ops;object=acct?pin-value=1234&module-path=/m.so"))
                .isEqualTo("pkcs11:token=ops;object=acct?pin-value=***&module-path=/m.so");
        assertThat(Pkcs11Uri.redacted("/etc/keys/pin-value=1.pem")).isEqualTo("/etc/keys/pin-value=1.pem");
    }

    @Test
    void aSlotIdMayNameTheTokenInsteadOfItsLabel() throws Exception {
        assertThat(Pkcs11Uri.parse("pkcs11:slot-id=1642038055;object=acct" + MODULE).toString())
                .isEqualTo("pkcs11:slot-id=1642038055;object=acct?module-path=/usr/lib/softhsm/libsofthsm2.so");
    }

    @Test
    void attributesKeywardCannotHonourAreRefusedNotIgnored() {
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=ops;object=acct;id=%01" + MODULE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'id' is not supported");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=ops;object=acct?module-name=softhsm2"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("module-name is not supported");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=ops;object=acct;type=cert" + MODULE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("type=private");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=ops;object=acct;colour=blue" + MODULE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown PKCS#11 URI path attribute 'colour'");
    }

    @Test
    void aUriMustNameTheKeyTheTokenAndTheLibraryOnce() {
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=ops" + MODULE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("object=LABEL");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:object=acct" + MODULE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("token=LABEL or slot-id=N");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=ops;object=acct"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("module-path=");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=ops;token=dev;object=acct" + MODULE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("repeats the attribute 'token'");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=ops;object=acct" + MODULE + "&pin-value=1&pin-source=file:/p"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("both pin-value and pin-source");
    }

    @Test
    void malformedValuesAreRefusedWithoutEchoingAPin() {
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=ops;object=acct" + MODULE + "&pin-value=12%G4"))
                .isInstanceOf(ConfigException.class).hasMessage("PKCS#11 URI has a malformed percent-encoding");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=ops;object=acct" + MODULE + "&pin-value"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("malformed PKCS#11 URI query attribute 'pin-value");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:slot-id=one;object=acct" + MODULE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("slot-id must be a decimal number");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=ops;object=acct" + MODULE + "&pin-source=https://x/pin"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must be a file");
    }
}
