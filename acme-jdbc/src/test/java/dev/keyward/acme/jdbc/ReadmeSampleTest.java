package dev.keyward.acme.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.Http01Server;
import dev.keyward.acme.Signers;
import dev.keyward.acme.testkit.PebbleExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The README's sample of acme-jdbc, on H2 in file mode (nothing installed) and http-01. */
class ReadmeSampleTest {
    @RegisterExtension
    static PebbleExtension pebble = new PebbleExtension();

    @TempDir
    Path dir;

    @Test
    void theReadmeSampleIssuesAQueuedCsrOnH2OverHttp01() throws Exception {
        KeyPair key = TestCsrs.ecP256();
        Files.writeString(dir.resolve("www.csr"), TestCsrs.pem(TestCsrs.der(key, TestCsrs.uniqueName("www"))));
        URI directoryUrl = pebble.server().directoryUri();
        KeyPair accountKey = TestCsrs.ecP256();
        try (AcmeClient client = AcmeClient.builder(directoryUrl).trustAnchors(pebble.server().trustAnchors()).build();
             Http01Server http01 = Http01Server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                     pebble.server().http01Port()))) {
            Account account = client.newAccount(Signers.jca(accountKey.getPrivate(), accountKey.getPublic()))
                    .agreeToTermsOfService().create();

            QueuedCsr row;
            try (CsrQueue queue = CsrQueue.open("jdbc:h2:file:" + dir.resolve("queue")).createSchema()) {
                long id = queue.submit(CsrSubmission.builder()
                        .csrPem(Files.readString(dir.resolve("www.csr")))
                        .directory(directoryUrl)
                        .build());
                QueueRunner.builder(queue, account, directoryUrl)
                        .solver("http-01", http01)
                        .workers(4)
                        .build()
                        .runUntilEmpty();
                row = queue.get(id).orElseThrow();
            }

            assertThat(row.state()).isEqualTo(CsrState.ISSUED);
            assertThat(QueueContract.certificates(row.chainPem().orElseThrow()).get(0).getPublicKey()).isEqualTo(key.getPublic());
        }
    }
}
