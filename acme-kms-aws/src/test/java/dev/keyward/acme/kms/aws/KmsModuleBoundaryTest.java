package dev.keyward.acme.kms.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module exports its one API package, and hands its users the core and the SDK types of its API. */
class KmsModuleBoundaryTest {
    private static ModuleDescriptor descriptor() {
        return ModuleFinder.of(Path.of("target/classes")).find("dev.keyward.acme.kms.aws").orElseThrow().descriptor();
    }

    @Test
    void onlyTheSignerPackageIsExported() {
        Set<String> exported = descriptor().exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());

        assertThat(exported).containsExactly("dev.keyward.acme.kms.aws");
    }

    @Test
    void theCoreAndTheSdkModulesOfThePublicApiAreReadByEveryUser() {
        Set<String> transitive = descriptor().requires().stream()
                .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
                .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());

        assertThat(transitive).contains("dev.keyward.acme", "software.amazon.awssdk.services.kms",
                "software.amazon.awssdk.regions", "software.amazon.awssdk.auth");
    }
}
