package dev.keyward.acme.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonDocumentsTest {

    @Test
    void anAwsJsonRequestParsesIntoMapsListsStringsNumbersAndBooleans() {
        Map<String, Object> parsed = JsonDocuments.parseObject(
                "{ \"KeyId\": \"alias/a\\/b\", \"GrantTokens\": [\"t1\", \"t2\"], \"DryRun\": false,"
                        + " \"Limit\": 10, \"Nested\": {\"x\": null}, \"Text\": \"caf\\u00e9\\n\" }");

        assertThat(parsed).containsEntry("KeyId", "alias/a/b")
                .containsEntry("GrantTokens", List.of("t1", "t2"))
                .containsEntry("DryRun", false)
                .containsEntry("Limit", 10.0)
                .containsEntry("Text", "café\n");
        assertThat(parsed.get("Nested")).isEqualTo(java.util.Collections.singletonMap("x", null));
    }

    @Test
    void writingAndParsingAgainGivesTheSameDocument() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("__type", "NotFoundException");
        document.put("message", "Key 'x\"y' does not exist");
        document.put("SigningAlgorithms", List.of("ECDSA_SHA_256"));
        document.put("Enabled", true);

        assertThat(JsonDocuments.parseObject(JsonDocuments.write(document))).isEqualTo(document);
    }

    @Test
    void malformedDocumentsAreRefusedWithTheOffset() {
        assertThatThrownBy(() -> JsonDocuments.parseObject("{\"a\": }")).hasMessageContaining("offset");
        assertThatThrownBy(() -> JsonDocuments.parseObject("[1]")).hasMessageContaining("object");
        assertThatThrownBy(() -> JsonDocuments.parseObject("{\"a\": 1} x")).hasMessageContaining("trailing");
        assertThatThrownBy(() -> JsonDocuments.parseObject("{\"a\": \"unterminated}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonDocuments.parseObject("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}"))
                .hasMessageContaining("deeply");
    }
}
