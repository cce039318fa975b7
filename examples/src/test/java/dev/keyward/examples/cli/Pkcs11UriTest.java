package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
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
        // Every query attribute but module-path, module-name and pin-source is masked: "x=y" may be the
        // tail of a PIN cut at an unencoded '&'.
        assertThat(Pkcs11Uri.redacted("pkcs11:token=ops;object=acct" + MODULE + "&pin-value=1234&x=y"))
                .isEqualTo("pkcs11:token=ops;object=acct" + MODULE + "&pin-value=***&***");
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
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=ops;object=acct;serial=1" + MODULE))
                .isInstanceOf(UsageException.class).hasMessageContaining("'serial' is not supported");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=ops;object=acct?module-name=softhsm2"))
                .isInstanceOf(UsageException.class).hasMessageContaining("module-name is not supported");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=ops;object=acct;type=cert" + MODULE))
                .isInstanceOf(UsageException.class).hasMessageContaining("type=private");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=ops;object=acct;colour=blue" + MODULE))
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown PKCS#11 URI path attribute 'colour'");
    }

    @Test
    void aUriMustNameTheKeyTheTokenAndTheLibraryOnce() {
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=ops" + MODULE))
                .isInstanceOf(UsageException.class).hasMessageContaining("object=LABEL").hasMessageContaining("id=ID");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:object=acct" + MODULE))
                .isInstanceOf(UsageException.class).hasMessageContaining("token=LABEL or slot-id=N");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=ops;object=acct"))
                .isInstanceOf(UsageException.class).hasMessageContaining("module-path=");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=ops;token=dev;object=acct" + MODULE))
                .isInstanceOf(UsageException.class).hasMessageContaining("repeats the attribute 'token'");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=ops;object=acct" + MODULE + "&pin-value=1&pin-source=file:/p"))
                .isInstanceOf(UsageException.class).hasMessageContaining("both pin-value and pin-source");
    }

    @Test
    void malformedValuesAreRefusedWithoutEchoingAPin() {
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=ops;object=acct" + MODULE + "&pin-value=12%G4"))
                .isInstanceOf(UsageException.class).hasMessage("PKCS#11 URI has a malformed percent-encoding in pin-value");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=ops;object=acct" + MODULE + "&pin-value"))
                .isInstanceOf(UsageException.class).hasMessageContaining("malformed PKCS#11 URI query attribute (the 2nd)");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:slot-id=one;object=acct" + MODULE))
                .isInstanceOf(UsageException.class).hasMessageContaining("slot-id must be a decimal number");
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=ops;object=acct" + MODULE + "&pin-source=https://x/pin"))
                .isInstanceOf(UsageException.class).hasMessageContaining("must be a file");
    }

    @Test
    void idNamesTheKeyByItsCkaIdAlongsideOrInsteadOfObject() throws Exception {
        assertThat(Pkcs11Uri.parse("pkcs11:token=ops;id=%01%AB%ffk" + MODULE).toString())
                .isEqualTo("pkcs11:token=ops;id=%01%AB%FFk?module-path=/usr/lib/softhsm/libsofthsm2.so");
        assertThat(Pkcs11Uri.parse("pkcs11:token=ops;object=acct;id=k1" + MODULE).toString())
                .isEqualTo("pkcs11:token=ops;object=acct;id=k1?module-path=/usr/lib/softhsm/libsofthsm2.so");
    }

    @Test
    void theSchemeIsCaseInsensitiveAsRfc3986Says() throws Exception {
        assertThat(Pkcs11Uri.isPkcs11("PKCS11:token=ops;object=acct")).isTrue();
        assertThat(Pkcs11Uri.isPkcs11("Pkcs11:token=ops;object=acct")).isTrue();
        assertThat(Pkcs11Uri.parse("PKCS11:token=ops;object=acct" + MODULE).toString())
                .isEqualTo("pkcs11:token=ops;object=acct?module-path=/usr/lib/softhsm/libsofthsm2.so");
        assertThat(Pkcs11Uri.redacted("PKCS11:token=ops;object=acct" + MODULE + "&pin-value=1234"))
                .doesNotContain("1234");
        assertThat(KmsKeySpec.isKms("KMS:alias/acct")).isTrue();
        assertThat(Keys.looksLikeUri("PKCS12:token=ops")).isTrue();
        assertThat(Keys.looksLikeUri("C:\\keys\\acct.pem")).as("a Windows drive is no scheme").isFalse();
        assertThat(Keys.looksLikeUri("/etc/keys/a:b.pem")).isFalse();
    }

    @Test
    void aPinIsNeverEchoedWhateverTheMalformation() {
        String pin = "S3cr3tP1N";
        for (String uri : List.of(
                "pkcs11:token=ops;object=acct" + MODULE + "&" + pin,
                "pkcs11:token=ops;object=acct" + MODULE + "&pin-value=ab&" + pin,
                "pkcs11:token=ops;object=acct" + MODULE + "&pin-value=ab&" + pin + "=x",
                "pkcs11:token=ops;object=acct" + MODULE + "&pin-value=" + pin + "%G",
                "pkcs11:token=ops;object=acct" + MODULE + "&pin-value=" + pin + "%C3%28",
                "pkcs11:token=ops;object=acct;pin-value=" + pin + MODULE)) {
            assertThatThrownBy(() -> Pkcs11Uri.parse(uri)).as(uri)
                    .isInstanceOf(UsageException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(pin).doesNotContain("S3cr"));
            assertThat(Pkcs11Uri.redacted(uri)).as(uri).doesNotContain(pin);
        }
    }

    @Test
    void aPinHoldingAnAmpersandIsWrittenPercentEncoded() {
        assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=ops;object=acct" + MODULE + "&pin-value=ab&cdtail"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("write '&' in a PIN as %26")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("cdtail"));
        assertThatCode(() -> Pkcs11Uri.parse("pkcs11:token=ops;object=acct" + MODULE + "&pin-value=ab%26cdtail"))
                .doesNotThrowAnyException();
    }
}
