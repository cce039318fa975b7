package dev.keyward.acme.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.testkit.SoftHsmToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a token is found: by label among several, by slot id, by slot list index, and what fails. */
class TokenSelectionTest {
    private static SoftHsmToken primary;
    private static SoftHsmToken secondary;

    @TempDir
    Path dir;

    @BeforeAll
    static void createTokens() {
        primary = SoftHsmToken.primary();
        secondary = SoftHsmToken.secondary();
    }

    @Test
    void aTokenLabelSelectsThatTokenAmongSeveralAtTheSlotSoftHsmMovedItTo() throws Exception {
        try (Pkcs11KeyStore first = TestTokens.open(primary); Pkcs11KeyStore second = TestTokens.open(secondary)) {
            assertThat(first.tokenLabel()).isEqualTo("keyward-primary");
            assertThat(first.slotId()).isEqualTo(primary.slotId());
            assertThat(second.tokenLabel()).isEqualTo("keyward-secondary");
            assertThat(second.slotId()).isEqualTo(secondary.slotId()).isNotEqualTo(primary.slotId());
        }
    }

    @Test
    void aSlotIdAndASlotListIndexReachTheSameTokenAsItsLabel() throws Exception {
        try (Pkcs11KeyStore byId = Pkcs11KeyStore.builder().library(primary.library()).slot(primary.slotId())
                .pin(primary.pin()).open()) {
            assertThat(byId.tokenLabel()).isEqualTo(primary.label());
        }
        // SoftHSM lists three slots: the two tokens and a free one. With the primary's PIN, only the
        // primary's index opens; the secondary refuses the PIN and the free slot has no token.
        List<Long> opened = new ArrayList<>();
        List<Pkcs11Exception.Reason> refused = new ArrayList<>();
        for (int index = 0; index < 3; index++) {
            try (Pkcs11KeyStore byIndex = Pkcs11KeyStore.builder().library(primary.library()).slotListIndex(index)
                    .pin(primary.pin()).open()) {
                opened.add(byIndex.slotId());
            } catch (Pkcs11Exception e) {
                refused.add(e.reason());
            }
        }
        assertThat(opened).containsExactly(primary.slotId());
        assertThat(refused).containsExactlyInAnyOrder(Pkcs11Exception.Reason.WRONG_PIN,
                Pkcs11Exception.Reason.TOKEN_NOT_FOUND);
        assertThatThrownBy(() -> Pkcs11KeyStore.builder().library(primary.library()).slotListIndex(3)
                .pin(primary.pin()).open())
                .isInstanceOf(Pkcs11Exception.class).hasMessageContaining("no slot at list index 3 (the library lists 3)");
    }

    @Test
    void anUnknownTokenLabelFailsNamingTheTokensThereAre() {
        assertThatThrownBy(() -> Pkcs11KeyStore.builder().library(primary.library()).tokenLabel("no-such-token")
                .pin(primary.pin()).open())
                .isInstanceOfSatisfying(Pkcs11Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Pkcs11Exception.Reason.TOKEN_NOT_FOUND))
                .hasMessageContaining("no token labelled 'no-such-token'")
                .hasMessageContaining("'keyward-primary' (slot " + primary.slotId() + ")")
                .hasMessageContaining("'keyward-secondary'");
    }

    @Test
    void anUnknownSlotIdFailsAsTokenNotFound() {
        assertThatThrownBy(() -> Pkcs11KeyStore.builder().library(primary.library()).slot(4_000_000_000L)
                .pin(primary.pin()).open())
                .isInstanceOfSatisfying(Pkcs11Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Pkcs11Exception.Reason.TOKEN_NOT_FOUND))
                .hasMessageContaining("no slot with id 4000000000");
    }

    @Test
    void aMissingLibraryFileFailsNamingThePath() {
        Path missing = dir.resolve("libnothere.so");

        assertThatThrownBy(() -> Pkcs11KeyStore.builder().library(missing).tokenLabel("any").pin(new char[] {'1'}).open())
                .isInstanceOfSatisfying(Pkcs11Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Pkcs11Exception.Reason.LIBRARY_NOT_FOUND))
                .hasMessage("PKCS#11 library " + missing + " does not exist");
    }

    @Test
    void aFileThatIsNoLibraryFailsAsNotAPkcs11Library() throws Exception {
        Path text = Files.writeString(dir.resolve("libfake.so"), "not a shared object\n");

        assertThatThrownBy(() -> Pkcs11KeyStore.builder().library(text).tokenLabel("any").pin(new char[] {'1'}).open())
                .isInstanceOfSatisfying(Pkcs11Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Pkcs11Exception.Reason.NOT_A_PKCS11_LIBRARY))
                .hasMessageStartingWith(text.toRealPath() + " is not a loadable PKCS#11 library");
    }

    @Test
    void theBuilderRefusesLabelsNoTokenCanHaveAndOpeningWithoutLibraryOrToken() {
        assertThatThrownBy(() -> Pkcs11KeyStore.builder().tokenLabel("x".repeat(33)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> Pkcs11KeyStore.builder().tokenLabel("  "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
        assertThatThrownBy(() -> Pkcs11KeyStore.builder().tokenLabel("a").open())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("library(Path)");
        assertThatThrownBy(() -> Pkcs11KeyStore.builder().library(primary.library()).open())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tokenLabel(String)");
    }
}
