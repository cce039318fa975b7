package dev.keyward.acme.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code Link} headers (RFC 8288) as ACME servers send them (RFC 8555 sections 7.1, 7.3.3, 7.4.2). */
class LinkHeadersTest {
    private static final URI BASE = URI.create("https://example.com/acme/cert/mAt3xBGaobw");

    @Test
    void severalLinksInOneHeaderAreToldApart() {
        List<String> headers = List.of("<https://example.com/acme/directory>;rel=\"index\", "
                + "<https://example.com/acme/cert/mAt3xBGaobw/1>;rel=\"alternate\", "
                + "<https://example.com/acme/cert/mAt3xBGaobw/2>;rel=\"alternate\"");

        assertThat(LinkHeaders.targets(headers, "alternate", BASE)).containsExactly(
                URI.create("https://example.com/acme/cert/mAt3xBGaobw/1"),
                URI.create("https://example.com/acme/cert/mAt3xBGaobw/2"));
        assertThat(LinkHeaders.targets(headers, "index", BASE))
                .containsExactly(URI.create("https://example.com/acme/directory"));
    }

    @Test
    void linksFromSeveralHeadersAreCollectedInHeaderOrder() {
        List<String> headers = List.of(
                "<https://example.com/acme/directory>;rel=\"index\"",
                "<https://example.com/acme/terms/2017-6-02>;rel=\"terms-of-service\"",
                "<https://example.com/acme/terms/2017-6-02.pdf>;rel=\"terms-of-service\"");

        assertThat(LinkHeaders.targets(headers, "terms-of-service", BASE)).containsExactly(
                URI.create("https://example.com/acme/terms/2017-6-02"),
                URI.create("https://example.com/acme/terms/2017-6-02.pdf"));
    }

    @Test
    void quotedAndUnquotedRelationsAreTheSame() {
        List<String> headers = List.of("<https://example.com/a>; rel=next", "<https://example.com/b>; rel=\"next\"");

        assertThat(LinkHeaders.targets(headers, "next", BASE))
                .containsExactly(URI.create("https://example.com/a"), URI.create("https://example.com/b"));
    }

    @Test
    void aLinkWithSeveralRelationsMatchesEachOfThem() {
        List<String> headers = List.of("<https://example.com/acme/cert/1>; rel=\"alternate  up\"");

        assertThat(LinkHeaders.targets(headers, "alternate", BASE)).containsExactly(URI.create("https://example.com/acme/cert/1"));
        assertThat(LinkHeaders.targets(headers, "up", BASE)).containsExactly(URI.create("https://example.com/acme/cert/1"));
        assertThat(LinkHeaders.targets(headers, "index", BASE)).isEmpty();
    }

    @Test
    void relationsAndParameterNamesAreCaseInsensitive() {
        List<String> headers = List.of("<https://example.com/acme/directory>; REL = \"Index\"");

        assertThat(LinkHeaders.targets(headers, "index", BASE)).containsExactly(URI.create("https://example.com/acme/directory"));
    }

    @Test
    void relativeTargetsAreResolvedAgainstTheRequestUrl() {
        List<String> headers = List.of("</acme/directory>;rel=\"index\"", "<mAt3xBGaobw/1>;rel=\"alternate\"");

        assertThat(LinkHeaders.targets(headers, "index", BASE)).containsExactly(URI.create("https://example.com/acme/directory"));
        assertThat(LinkHeaders.targets(headers, "alternate", BASE))
                .containsExactly(URI.create("https://example.com/acme/cert/mAt3xBGaobw/1"));
    }

    @Test
    void commasAndSemicolonsInsideTheTargetOrAQuotedValueDoNotSplitTheLink() {
        List<String> headers = List.of("<https://example.com/acme/cert/a,b;c>;rel=\"alternate\", "
                + "<https://example.com/acme/cert/d>;title=\"one, two\";rel=\"alternate\"");

        assertThat(LinkHeaders.targets(headers, "alternate", BASE)).containsExactly(
                URI.create("https://example.com/acme/cert/a,b;c"), URI.create("https://example.com/acme/cert/d"));
    }

    @Test
    void malformedEntriesAreSkippedAndTheOthersKept() {
        List<String> headers = List.of(
                "garbage, <https://example.com/good/1>;rel=next",
                "https://example.com/no-brackets;rel=next",
                "<https://example.com/unclosed;rel=next",
                "<https://example.com/no-relation>",
                "<https://example.com/bad path>;rel=next",
                "<https://example.com/good/2>;rel=next");

        assertThat(LinkHeaders.targets(headers, "next", BASE))
                .containsExactly(URI.create("https://example.com/good/1"), URI.create("https://example.com/good/2"));
    }

    @Test
    void aRelativeTargetWithoutABaseIsSkipped() {
        assertThat(LinkHeaders.targets(List.of("</acme/directory>;rel=index"), "index", null)).isEmpty();
        assertThat(LinkHeaders.targets(List.of("<https://example.com/acme/directory>;rel=index"), "index", null))
                .containsExactly(URI.create("https://example.com/acme/directory"));
    }

    @Test
    void noHeadersMeanNoTargets() {
        assertThat(LinkHeaders.targets(List.of(), "index", BASE)).isEmpty();
        assertThat(LinkHeaders.targets(List.of(""), "index", BASE)).isEmpty();
    }
}
