package dev.keyward.acme.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module exports its one API package and hands its users the core, whose types its API shows. */
class Pkcs11ModuleBoundaryTest {
    private static ModuleDescriptor descriptor() {
        return ModuleFinder.of(Path.of("target/classes")).find("dev.keyward.acme.pkcs11").orElseThrow().descriptor();
    }

    @Test
    void onlyTheKeyStorePackageIsExported() {
        Set<String> exported = descriptor().exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());

        assertThat(exported).containsExactly("dev.keyward.acme.pkcs11");
        assertThat(descriptor().opens()).as("packages opened to reflection").isEmpty();
    }

    @Test
    void theCoreIsReadByEveryUserAndJnaStaysAnImplementationDetail() {
        Set<String> transitive = descriptor().requires().stream()
                .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
                .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
        Set<String> required = descriptor().requires().stream().map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet());

        assertThat(transitive).containsExactly("dev.keyward.acme");
        assertThat(required).contains("com.sun.jna");
    }
}
