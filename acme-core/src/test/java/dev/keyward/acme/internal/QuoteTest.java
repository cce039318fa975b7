package dev.keyward.acme.internal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Text from the CA inside this library's messages: never longer than the cap, never a control
 * character, and ordinary text kept as it is.
 */
class QuoteTest {
    @Property(tries = 500)
    void anyTextIsQuotedOnOneLineWithinTheCap(@ForAll String text) {
        String quoted = Quote.ca(text);

        assertThat(quoted).doesNotContainPattern("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]")
                .hasSizeLessThanOrEqualTo(2 + 6 * Quote.MAX_CHARS + 40).startsWith("\"");
        assertThat(Quote.text(text, 300)).doesNotContainPattern("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");
        assertThat(Quote.printable(text)).isEqualTo(!text.matches("(?s).*[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}].*"));
    }

    @Test
    void aMegabyteIsCutToTwoHundredCharactersWithItsLengthNoted() {
        String quoted = Quote.ca("a".repeat(1_000_000));

        assertThat(quoted).isEqualTo("\"" + "a".repeat(200) + "\"... (1000000 characters)");
    }

    @Test
    void aTerminalEscapeSequenceIsWrittenOutNotSent() {
        assertThat(Quote.ca("\u001b]0;owned\u0007\r\nok \"x\" \\ \u202e"))
                .isEqualTo("\"\\u001b]0;owned\\u0007\\r\\nok \\\"x\\\" \\\\ \\u202e\"");
        assertThat(Quote.text("line\nbreak \u0000", 100)).isEqualTo("line\\nbreak \\u0000");
    }

    @Test
    void ordinaryTextIsKeptAndASurrogatePairIsNeverCutInHalf() {
        assertThat(Quote.ca("www.example.org")).isEqualTo("\"www.example.org\"");
        assertThat(Quote.ca("é日本")).isEqualTo("\"é日本\"");
        String pairs = "\ud83d\ude00".repeat(150);
        assertThat(Quote.ca(pairs)).startsWith("\"" + "\ud83d\ude00".repeat(100) + "\"...");
    }
}
