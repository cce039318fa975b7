package dev.keyward.acme.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.Http01Server;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An account with a local name ({@link AcmeCa.Builder#accountName}): the storage keeps it under
 * {@code accounts/NAME/}, a second manager on the same storage uses the same account, and a name
 * already given to another CA's account is refused rather than mixed up.
 */
class NamedAccountTest {
    @RegisterExtension
    static final PebbleExtension PEBBLE = new PebbleExtension();

    @TempDir
    Path storageDirectory;

    @Test
    void aNamedAccountIsStoredUnderItsNameAndUsedAgainByTheNextManager() throws Exception {
        PebbleServer pebble = PEBBLE.server();
        AcmeCa ca = AcmeCa.builder(pebble.directoryUri()).trustAnchors(pebble.trustAnchors())
                .agreeToTermsOfService().accountName("prod").build();

        String firstUrl = issueOnce(ca, "named-1.keyward.test");
        byte[] key = Files.readAllBytes(storageDirectory.resolve("accounts/prod/account-key.pem"));
        String secondUrl = issueOnce(ca, "named-2.keyward.test");

        assertThat(firstUrl).startsWith("https://");
        assertThat(secondUrl).as("the same named account, found again with its stored key").isEqualTo(firstUrl);
        assertThat(Files.readAllBytes(storageDirectory.resolve("accounts/prod/account-key.pem"))).isEqualTo(key);
        assertThat(Files.readString(storageDirectory.resolve("accounts/prod/account.properties")))
                .contains("directory=" + pebble.directoryUri());
        assertThat(ca.toString()).contains("account prod");
    }

    @Test
    void aNameThatBelongsToAnotherCasAccountIsRefused() throws Exception {
        PebbleServer pebble = PEBBLE.server();
        Path record = storageDirectory.resolve("accounts/prod/account.properties");
        Files.createDirectories(record.getParent());
        Files.writeString(record, "account=https://elsewhere.example/acct/1\ndirectory=https://elsewhere.example/dir\n");
        AcmeCa ca = AcmeCa.builder(pebble.directoryUri()).trustAnchors(pebble.trustAnchors())
                .agreeToTermsOfService().accountName("prod").build();

        try (Http01Server http = Http01Server.start(new InetSocketAddress("127.0.0.1", pebble.http01Port()));
             CertificateManager manager = manager(ca, http, "refused.keyward.test")) {
            assertThatThrownBy(() -> manager.renewNow("web")).isInstanceOf(IOException.class)
                    .hasMessageContaining("belongs to the CA https://elsewhere.example/dir");
        }
        assertThat(storageDirectory.resolve("accounts/prod/account-key.pem")).doesNotExist();
    }

    @Test
    void anAccountNameIsCheckedWhenGiven() {
        AcmeCa.Builder builder = AcmeCa.builder(URI.create("https://ca.example/dir"));

        assertThatThrownBy(() -> builder.accountName("../etc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("account name");
        assertThatThrownBy(() -> builder.accountName("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(builder.accountName("prod-1.eu_west").build().accountName()).contains("prod-1.eu_west");
        assertThat(AcmeCa.builder(URI.create("https://ca.example/dir")).build().accountName()).isEmpty();
    }

    private String issueOnce(AcmeCa ca, String domain) throws Exception {
        PebbleServer pebble = PEBBLE.server();
        try (Http01Server http = Http01Server.start(new InetSocketAddress("127.0.0.1", pebble.http01Port()));
             CertificateManager manager = manager(ca, http, domain)) {
            manager.start();
            assertThat(manager.certificate("web")).isPresent();
        }
        String text = Files.readString(storageDirectory.resolve("accounts/prod/account.properties"),
                StandardCharsets.UTF_8);
        return text.lines().filter(l -> l.startsWith("account=")).findFirst().orElseThrow().substring(8);
    }

    private CertificateManager manager(AcmeCa ca, Http01Server http, String domain) throws IOException {
        return CertificateManager.builder()
                .storage(CertificateStorage.files(storageDirectory))
                .add(CertificateSet.builder("web").domains(domain).ca(ca).solvers(http).build())
                .backgroundScheduling(false)
                .build();
    }
}
