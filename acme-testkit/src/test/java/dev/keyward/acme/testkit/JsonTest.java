package dev.keyward.acme.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void quotingEscapesQuotesBackslashesAndControlCharacters() {
        assertThat(Json.quote("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    }

    @Test
    void aPlainStringMemberIsFoundWhateverTheWhitespace() {
        String status = "{\n   \"Status\": \"Revoked\",\n   \"Serial\":\"7ce3\",\n   \"Reason\": 1\n}";

        assertThat(Json.plainStringMember(status, "Status")).hasValue("Revoked");
        assertThat(Json.plainStringMember(status, "Serial")).hasValue("7ce3");
        assertThat(Json.plainStringMember(status, "Reason")).isEmpty();
        assertThat(Json.plainStringMember(status, "Missing")).isEmpty();
    }
}
