package dev.keyward.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.jwk.RSAKey;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading the account files of certbot and lego, laid out as certbot 2.1 and lego 4.9 write them
 * (the CLI tests read the files of the real programs registered against Pebble). Picking an
 * account among several, and every broken layout, is a typed error.
 */
class ForeignAccountTest {
    private static final URI PEBBLE = URI.create("https://127.0.0.1:14000/dir");
    private static final URI STAGING = URI.create("https://acme-staging-v02.api.letsencrypt.org/directory");

    private static KeyPair rsa;
    private static KeyPair ec;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
        r.initialize(2048);
        rsa = r.generateKeyPair();
        // Bouncy Castle writes EC PRIVATE KEY as Go's x509.MarshalECPrivateKey does: curve OID and public key.
        KeyPairGenerator e = KeyPairGenerator.getInstance("EC", new org.bouncycastle.jce.provider.BouncyCastleProvider());
        e.initialize(new ECGenParameterSpec("secp256r1"));
        ec = e.generateKeyPair();
    }

    private Path certbotAccount(String serverPath, String id, String accountUrl) throws Exception {
        Path folder = dir.resolve("letsencrypt/accounts").resolve(serverPath).resolve(id);
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("meta.json"), "{\"creation_dt\": \"2026-11-30T15:55:02Z\", \"creation_host\": \"h\"}");
        Files.writeString(folder.resolve("regr.json"), "{\"body\": {}, \"uri\": \"" + accountUrl + "\"}");
        Files.writeString(folder.resolve("private_key.json"), new RSAKey.Builder((RSAPublicKey) rsa.getPublic())
                .privateKey((RSAPrivateKey) rsa.getPrivate()).build().toJSONString());
        return dir.resolve("letsencrypt");
    }

    private Path legoAccount(String hostPort, String email, String accountUrl) throws Exception {
        Path folder = dir.resolve("lego/accounts").resolve(hostPort).resolve(email);
        Files.createDirectories(folder.resolve("keys"));
        Files.writeString(folder.resolve("account.json"), "{\n\t\"email\": \"" + email + "\",\n\t\"registration\": {\n"
                + "\t\t\"body\": {\"status\": \"valid\", \"contact\": [\"mailto:" + email + "\"]},\n"
                + "\t\t\"uri\": \"" + accountUrl + "\"\n\t}\n}");
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(ec);
        }
        assertThat(pem.toString()).startsWith("-----BEGIN EC PRIVATE KEY-----");
        Files.writeString(folder.resolve("keys").resolve(email + ".key"), pem.toString());
        return dir.resolve("lego");
    }

    @Test
    void certbotsOnlyAccountIsReadWithItsKeyAndTheDirectoryItsFoldersName() throws Exception {
        Path config = certbotAccount("127.0.0.1:14000/dir", "98e84fab9d5089364fe798560a9a5903",
                "https://127.0.0.1:14000/my-account/4001293d49f412fe");

        ForeignAccount account = ForeignAccount.fromCertbot(config, null, null);

        assertThat(account.source()).isEqualTo(ForeignAccount.Source.CERTBOT);
        assertThat(account.id()).isEqualTo("98e84fab9d5089364fe798560a9a5903");
        assertThat(account.accountUrl()).isEqualTo(URI.create("https://127.0.0.1:14000/my-account/4001293d49f412fe"));
        assertThat(account.directoryUrl()).contains(PEBBLE);
        assertThat(account.keyPair().getPublic()).isEqualTo(rsa.getPublic());
        assertThat(account.signer().algorithm()).isEqualTo(SignatureAlgorithm.RS256);
        assertThat(account.toString()).doesNotContain(rsa.getPrivate().toString());
    }

    @Test
    void certbotAccountsOfSeveralCasArePickedByDirectoryOrId() throws Exception {
        certbotAccount("127.0.0.1:14000/dir", "aaa", "https://127.0.0.1:14000/my-account/1");
        Path config = certbotAccount("acme-staging-v02.api.letsencrypt.org/directory", "bbb",
                "https://acme-staging-v02.api.letsencrypt.org/acme/acct/2");

        AccountFileException ambiguous = catchThrowableOfType(() -> ForeignAccount.fromCertbot(config, null, null),
                AccountFileException.class);

        assertThat(ambiguous.reason()).isEqualTo(AccountFileException.Reason.AMBIGUOUS);
        assertThat(ambiguous.getMessage()).contains("aaa (127.0.0.1:14000/dir)")
                .contains("bbb (acme-staging-v02.api.letsencrypt.org/directory)");
        assertThat(ForeignAccount.fromCertbot(config, STAGING, null).id()).isEqualTo("bbb");
        assertThat(ForeignAccount.fromCertbot(config, URI.create(PEBBLE + "/"), null).id()).isEqualTo("aaa");
        assertThat(ForeignAccount.fromCertbot(config, null, "aaa").directoryUrl()).contains(PEBBLE);
    }

    @Test
    void aCertbotAccountThatIsNotThereIsNotFoundAndTheMessageSaysWhatIs() throws Exception {
        Path config = certbotAccount("127.0.0.1:14000/dir", "aaa", "https://127.0.0.1:14000/my-account/1");

        AccountFileException wrongCa = catchThrowableOfType(() -> ForeignAccount.fromCertbot(config, STAGING, null),
                AccountFileException.class);
        AccountFileException noFolder = catchThrowableOfType(() -> ForeignAccount.fromCertbot(dir.resolve("none"), null,
                null), AccountFileException.class);

        assertThat(wrongCa.reason()).isEqualTo(AccountFileException.Reason.NOT_FOUND);
        assertThat(wrongCa.getMessage()).contains("it has: aaa (127.0.0.1:14000/dir)");
        assertThat(noFolder.reason()).isEqualTo(AccountFileException.Reason.NOT_FOUND);
    }

    @Test
    void brokenCertbotFilesAreMalformedAndNeverEchoTheKey() throws Exception {
        Path config = certbotAccount("127.0.0.1:14000/dir", "aaa", "https://127.0.0.1:14000/my-account/1");
        Path folder = config.resolve("accounts/127.0.0.1:14000/dir/aaa");
        String publicOnly = new RSAKey.Builder((RSAPublicKey) rsa.getPublic()).build().toJSONString();

        Files.writeString(folder.resolve("private_key.json"), publicOnly);
        AccountFileException noPrivate = catchThrowableOfType(() -> ForeignAccount.fromCertbot(config, null, null),
                AccountFileException.class);
        Files.writeString(folder.resolve("private_key.json"), "{\"kty\": \"RSA\", \"d\": \"c2VjcmV0\"");
        AccountFileException truncated = catchThrowableOfType(() -> ForeignAccount.fromCertbot(config, null, null),
                AccountFileException.class);
        Files.writeString(folder.resolve("regr.json"), "{\"body\": {}}");
        AccountFileException noUri = catchThrowableOfType(() -> ForeignAccount.fromCertbot(config, null, null),
                AccountFileException.class);

        assertThat(noPrivate.reason()).isEqualTo(AccountFileException.Reason.MALFORMED);
        assertThat(truncated.reason()).isEqualTo(AccountFileException.Reason.MALFORMED);
        assertThat(truncated.getMessage()).doesNotContain("c2VjcmV0");
        assertThat(noUri.reason()).isEqualTo(AccountFileException.Reason.MALFORMED);
        assertThat(noUri.getMessage()).contains("regr.json").contains("uri");
    }

    @Test
    void aCertbotKeyNamingAMemberTwiceIsMalformedNotTheLastOneWins() throws Exception {
        Path config = certbotAccount("127.0.0.1:14000/dir", "aaa", "https://127.0.0.1:14000/my-account/1");
        Path keyFile = config.resolve("accounts/127.0.0.1:14000/dir/aaa/private_key.json");
        Files.writeString(keyFile, Files.readString(keyFile).replaceFirst("\\{", "{\"d\":\"c2VjcmV0\","));

        AccountFileException twice = catchThrowableOfType(() -> ForeignAccount.fromCertbot(config, null, null),
                AccountFileException.class);

        assertThat(twice.reason()).isEqualTo(AccountFileException.Reason.MALFORMED);
        assertThat(twice.getMessage()).contains("private_key.json").contains("is not a readable JWK")
                .doesNotContain("c2VjcmV0");
    }

    @Test
    void legosAccountIsReadWithItsPemKeyAndContactsButNoDirectory() throws Exception {
        Path lego = legoAccount("127.0.0.1_14000", "x@example.org", "https://127.0.0.1:14000/my-account/3890117f");

        ForeignAccount account = ForeignAccount.fromLego(lego, PEBBLE, null);

        assertThat(account.source()).isEqualTo(ForeignAccount.Source.LEGO);
        assertThat(account.id()).isEqualTo("x@example.org");
        assertThat(account.accountUrl()).isEqualTo(URI.create("https://127.0.0.1:14000/my-account/3890117f"));
        assertThat(account.contacts()).containsExactly("mailto:x@example.org");
        assertThat(account.directoryUrl()).isEmpty();
        assertThat(account.keyPair().getPublic().getEncoded()).isEqualTo(ec.getPublic().getEncoded());
    }

    @Test
    void legoAccountsArePickedByTheCasHostAndPortThenByEmail() throws Exception {
        legoAccount("127.0.0.1_14000", "a@example.org", "https://127.0.0.1:14000/my-account/1");
        legoAccount("127.0.0.1_14000", "b@example.org", "https://127.0.0.1:14000/my-account/2");
        Path lego = legoAccount("acme-staging-v02.api.letsencrypt.org", "a@example.org",
                "https://acme-staging-v02.api.letsencrypt.org/acme/acct/3");

        AccountFileException twoAtPebble = catchThrowableOfType(() -> ForeignAccount.fromLego(lego, PEBBLE, null),
                AccountFileException.class);

        assertThat(twoAtPebble.reason()).isEqualTo(AccountFileException.Reason.AMBIGUOUS);
        assertThat(twoAtPebble.getMessage()).contains("a@example.org (127.0.0.1_14000)", "b@example.org (127.0.0.1_14000)");
        assertThat(ForeignAccount.fromLego(lego, PEBBLE, "b@example.org").accountUrl().toString()).endsWith("/2");
        assertThat(ForeignAccount.fromLego(lego, STAGING, null).accountUrl().toString()).endsWith("/3");
    }

    @Test
    void aLegoAccountWithoutItsKeyFileOrRegistrationIsMalformed() throws Exception {
        Path lego = legoAccount("127.0.0.1_14000", "x@example.org", "https://127.0.0.1:14000/my-account/1");
        Path folder = lego.resolve("accounts/127.0.0.1_14000/x@example.org");

        Files.delete(folder.resolve("keys/x@example.org.key"));
        AccountFileException noKey = catchThrowableOfType(() -> ForeignAccount.fromLego(lego, null, null),
                AccountFileException.class);
        Files.writeString(folder.resolve("account.json"), "{\"email\": \"x@example.org\", \"registration\": null}");
        AccountFileException unregistered = catchThrowableOfType(() -> ForeignAccount.fromLego(lego, null, null),
                AccountFileException.class);

        assertThat(noKey.reason()).isEqualTo(AccountFileException.Reason.MALFORMED);
        assertThat(noKey.getMessage()).contains("x@example.org.key").contains("missing");
        assertThat(unregistered.reason()).isEqualTo(AccountFileException.Reason.MALFORMED);
        assertThat(unregistered.getMessage()).contains("no registration");
    }
}
