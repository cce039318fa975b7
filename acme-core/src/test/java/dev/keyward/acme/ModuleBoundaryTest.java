package dev.keyward.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module exports the API package alone: internals stay internal for modular users. */
class ModuleBoundaryTest {
    private static ModuleDescriptor descriptor() {
        return ModuleFinder.of(Path.of("target/classes")).find("dev.keyward.acme").orElseThrow().descriptor();
    }

    @Test
    void onlyTheApiPackageIsExported() {
        Set<String> exported = descriptor().exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());

        assertThat(exported).containsExactly("dev.keyward.acme");
        assertThat(descriptor().packages()).contains("dev.keyward.acme.internal");
    }

    @Test
    void okHttpIsReadByEveryUserSinceACallerMayPassItsOwnClient() {
        assertThat(descriptor().requires()).anySatisfy(r -> {
            assertThat(r.name()).isEqualTo("okhttp3");
            assertThat(r.modifiers()).contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE);
        });
    }
}
