package dev.keyward.acme;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Resource statuses (RFC 8555 section 7.1.6). */
class StatusTest {
    @ParameterizedTest
    @CsvSource({"pending, PENDING", "ready, READY", "processing, PROCESSING", "valid, VALID", "invalid, INVALID",
            "revoked, REVOKED", "deactivated, DEACTIVATED", "expired, EXPIRED"})
    void everyStatusOfTheRfcIsKnown(String value, Status expected) {
        assertThat(Status.parse(value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"VALID", "Pending", "pRoCeSsInG"})
    void parsingIgnoresCase(String value) {
        assertThat(Status.parse(value)).isNotEqualTo(Status.UNKNOWN);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "archived", "valid ", "unknown", "pending\u0000"})
    void anythingElseIsUnknown(String value) {
        assertThat(Status.parse(value)).isEqualTo(Status.UNKNOWN);
    }

    @ParameterizedTest
    @EnumSource(value = Status.class, names = "UNKNOWN", mode = EnumSource.Mode.EXCLUDE)
    void theProtocolStringParsesBackToTheSameStatus(Status status) {
        assertThat(Status.parse(status.value())).isEqualTo(status);
        assertThat(status.value()).isEqualTo(status.name().toLowerCase(java.util.Locale.ROOT));
    }
}
