package dev.keyward.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Identifiers (RFC 8555 section 7.1.3; {@code dns} names per section 9.7.7 and RFC 5890). */
class IdentifierTest {
    @Test
    void aDnsNameIsKeptAsGiven() {
        Identifier id = Identifier.dns("www.example.org");

        assertThat(id.type()).isEqualTo("dns");
        assertThat(id.value()).isEqualTo("www.example.org");
        assertThat(id.isWildcard()).isFalse();
        assertThat(id).hasToString("dns:www.example.org");
    }

    @Test
    void anInternationalizedNameBecomesItsPunycodeALabel() {
        assertThat(Identifier.dns("bücher.example").value()).isEqualTo("xn--bcher-kva.example");
        assertThat(Identifier.dns("ÉCOLE.fr").value()).isEqualTo("xn--cole-9oa.fr");
        assertThat(Identifier.dns("xn--bcher-kva.example")).isEqualTo(Identifier.dns("bücher.example"));
    }

    @Test
    void aNameIsLowerCased() {
        assertThat(Identifier.dns("WWW.Example.ORG").value()).isEqualTo("www.example.org");
        assertThat(Identifier.dns("WWW.Example.ORG")).isEqualTo(Identifier.dns("www.example.org"));
    }

    @Test
    void aLeadingStarLabelMakesAWildcard() {
        Identifier id = Identifier.dns("*.Bücher.example");

        assertThat(id.value()).isEqualTo("*.xn--bcher-kva.example");
        assertThat(id.isWildcard()).isTrue();
    }

    @Test
    void oneTrailingDotIsRemoved() {
        assertThat(Identifier.dns("www.example.org.").value()).isEqualTo("www.example.org");
        assertThat(Identifier.dns(" www.example.org ").value()).isEqualTo("www.example.org");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", ".", "*.", "exa mple.org", "under_score.example", "-leading.example",
            "trailing-.example", "a..b.example", "*.*.example.org", "www.*.example.org", "ex*ample.org",
            "labelthatislongerthansixtythreecharactersisnotallowedinthednsatall.example"})
    void invalidNamesAreRejected(String name) {
        assertThatThrownBy(() -> Identifier.dns(name)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "example.org..", "*.example.org.."})
    void aNameWithAnEmptyLabelAfterTheTrailingDotIsRejected(String name) {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .as("Identifier.dns(\"%s\") must be refused: it has an empty label", name)
                .isThrownBy(() -> Identifier.dns(name));
    }

    @Test
    void aNameLongerThan253CharactersIsRejected() {
        String label = "a".repeat(63);
        String name = String.join(".", label, label, label, label);

        assertThat(name).hasSize(255);
        assertThatThrownBy(() -> Identifier.dns(name)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Identifier.dns(name.substring(2)).value()).hasSize(253);
    }

    @Test
    void anIdentifierOfAnyTypeIsTakenAsGiven() {
        Identifier ip = Identifier.of(Identifier.TYPE_IP, "2001:db8::1");

        assertThat(ip.type()).isEqualTo("ip");
        assertThat(ip.value()).isEqualTo("2001:db8::1");
        assertThat(ip.isWildcard()).isFalse();
        assertThat(Identifier.of("dns", "*.example.org").isWildcard()).isTrue();
        assertThat(Identifier.of("email", "*.example.org").isWildcard()).isFalse();
    }

    @Test
    void anIdentifierNeedsATypeAndAValue() {
        assertThatThrownBy(() -> Identifier.of("", "example.org")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Identifier.of("dns", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Identifier.of(null, "example.org")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Identifier.dns(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void identifiersAreEqualByTypeAndValue() {
        assertThat(Identifier.of("dns", "example.org")).isEqualTo(Identifier.dns("example.org"))
                .hasSameHashCodeAs(Identifier.dns("example.org"))
                .isNotEqualTo(Identifier.of("ip", "example.org"));
    }
}
