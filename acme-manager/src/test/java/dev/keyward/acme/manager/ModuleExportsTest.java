package dev.keyward.acme.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModuleExportsTest {
    @Test
    void theModuleExportsOnlyTheApiPackageAndRequiresTheAcmeCore() {
        ModuleDescriptor descriptor = ModuleFinder.of(Path.of("target/classes")).find("dev.keyward.acme.manager")
                .orElseThrow().descriptor();

        assertThat(descriptor.exports()).extracting(ModuleDescriptor.Exports::source)
                .containsExactly("dev.keyward.acme.manager");
        assertThat(descriptor.requires()).extracting(ModuleDescriptor.Requires::name).contains("dev.keyward.acme");
    }
}
