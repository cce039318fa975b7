package dev.keyward.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The origin check every fetch by a caller's URL makes: scheme, host and port of the directory URL. */
class CaOriginTest {
    private static final URI DIRECTORY = URI.create("https://ca.keyward.test/directory");

    @Test
    void aUrlOnTheDirectorysOriginPassesWhateverItsPathAndTheCaseOfItsHost() {
        URI url = URI.create("https://CA.keyward.test:443/acme/authz/1");

        assertThat(CaOrigin.require(DIRECTORY, url)).isSameAs(url);
        assertThat(CaOrigin.of(DIRECTORY)).isEqualTo("https://ca.keyward.test:443");
    }

    @Test
    void anotherHostSchemeOrPortIsRefusedWithTheUrlAndTheDirectory() {
        for (String foreign : new String[] {"https://evil.keyward.test/acme/authz/1",
                "http://ca.keyward.test/acme/authz/1", "https://ca.keyward.test:8443/acme/authz/1",
                "https://ca.keyward.test.evil.test/acme/authz/1"}) {
            assertThatThrownBy(() -> CaOrigin.require(DIRECTORY, URI.create(foreign)))
                    .isInstanceOfSatisfying(AcmeForeignUrlException.class, e -> {
                        assertThat(e.url()).isEqualTo(URI.create(foreign));
                        assertThat(e.directoryUrl()).isEqualTo(DIRECTORY);
                        assertThat(e).hasMessageContaining("not on the CA's origin https://ca.keyward.test:443");
                    })
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aRelativeOrOpaqueUrlHasNoOriginAndIsRefused() {
        assertThatThrownBy(() -> CaOrigin.require(DIRECTORY, URI.create("/acme/authz/1")))
                .isInstanceOf(AcmeForeignUrlException.class);
        assertThatThrownBy(() -> CaOrigin.require(DIRECTORY, URI.create("mailto:ops@keyward.test")))
                .isInstanceOf(AcmeForeignUrlException.class);
    }
}
