package dev.keyward.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The account export document: what it carries for each key form, that a private key never
 * appears in clear, how it is encrypted (checked by OpenSSL too), how it is written, and that every
 * bad document is refused with a typed reason.
 */
class AccountExportTest {
    private static final URI DIRECTORY = URI.create("https://ca.example/dir");
    private static final URI ACCOUNT = URI.create("https://ca.example/acct/17");
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    @TempDir
    Path dir;

    private static KeyPair ecKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static AccountExport.Builder base() {
        return AccountExport.builder().directoryUrl(DIRECTORY).accountUrl(ACCOUNT)
                .contacts(List.of("mailto:ops@example.org")).name("prod");
    }

    private static AccountFileException.Reason reasonOf(String json) {
        return catchThrowableOfType(() -> AccountExport.parse(json), AccountFileException.class).reason();
    }

    private static String documentWith(String keyMembers) throws Exception {
        String json = base().publicKeyOnly(ecKey().getPublic()).build().toJson();
        return json.replace("\"key\":{", "\"key\":{" + keyMembers);
    }

    @Test
    void anEncryptedExportRoundTripsThroughAFileAndOpensWithItsPassphrase() throws Exception {
        KeyPair key = ecKey();
        Path file = dir.resolve("acct.json");

        base().encryptedKey(key.getPrivate(), key.getPublic(), PASSPHRASE).build().write(file);
        AccountExport read = AccountExport.read(file);

        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(read.keyForm()).isEqualTo(AccountExport.KeyForm.ENCRYPTED);
        assertThat(read.directoryUrl()).isEqualTo(DIRECTORY);
        assertThat(read.accountUrl()).isEqualTo(ACCOUNT);
        assertThat(read.contacts()).containsExactly("mailto:ops@example.org");
        assertThat(read.name()).contains("prod");
        assertThat(read.isKeyOf(key.getPublic())).isTrue();
        assertThat(read.decryptKey(PASSPHRASE).getPrivate().getEncoded()).isEqualTo(key.getPrivate().getEncoded());
    }

    @Test
    void aWrongPassphraseIsAWrongPassphraseNotAMalformedDocument() throws Exception {
        KeyPair key = ecKey();
        AccountExport export = base().encryptedKey(key.getPrivate(), key.getPublic(), PASSPHRASE).build();

        AccountFileException e = catchThrowableOfType(() -> export.decryptKey("wrong".toCharArray()),
                AccountFileException.class);

        assertThat(e.reason()).isEqualTo(AccountFileException.Reason.WRONG_PASSPHRASE);
        assertThat(e.getMessage()).doesNotContain("wrong").doesNotContain("BEGIN");
    }

    @Test
    void theKeyIsPkcs8UnderPbes2WithAes256CbcAndPbkdf2HmacSha256Of600000Iterations() throws Exception {
        KeyPair key = ecKey();
        String pem = pemOf(base().encryptedKey(key.getPrivate(), key.getPublic(), PASSPHRASE).build());

        PKCS8EncryptedPrivateKeyInfo info;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            info = (PKCS8EncryptedPrivateKeyInfo) parser.readObject();
        }
        PBES2Parameters pbes2 = PBES2Parameters.getInstance(info.getEncryptionAlgorithm().getParameters());
        PBKDF2Params kdf = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());

        assertThat(info.getEncryptionAlgorithm().getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_PBES2);
        assertThat(pbes2.getEncryptionScheme().getAlgorithm()).isEqualTo(NISTObjectIdentifiers.id_aes256_CBC);
        assertThat(kdf.getPrf().getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_hmacWithSHA256);
        assertThat(kdf.getIterationCount()).isEqualTo(BigInteger.valueOf(600_000));
        assertThat(kdf.getSalt()).hasSizeGreaterThanOrEqualTo(16);
    }

    @Test
    void openSslOpensTheEncryptedKeyWithThePassphrase() throws Exception {
        KeyPair key = ecKey();
        Path encrypted = dir.resolve("key.enc.pem");
        Path passphrase = dir.resolve("pass");
        Path clear = dir.resolve("key.pem");
        Files.writeString(encrypted, pemOf(base().encryptedKey(key.getPrivate(), key.getPublic(), PASSPHRASE).build()));
        Files.writeString(passphrase, new String(PASSPHRASE) + "\n");

        Process openssl = new ProcessBuilder("openssl", "pkey", "-in", encrypted.toString(), "-passin",
                "file:" + passphrase, "-out", clear.toString()).redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(output).isZero();
        assertThat(AccountKeys.readPem(Files.readString(clear), "openssl's output").getPublic())
                .isEqualTo(key.getPublic());
    }

    @Test
    void noFormCarriesThePrivateKeyInClear() throws Exception {
        KeyPair key = ecKey();
        List<AccountExport> exports = List.of(
                base().encryptedKey(key.getPrivate(), key.getPublic(), PASSPHRASE).build(),
                base().publicKeyOnly(key.getPublic()).build(),
                base().keyReference("pkcs11:token=ops;object=acct?pin-source=file:/run/pin", key.getPublic()).build());

        for (AccountExport export : exports) {
            String json = export.toJson();
            assertThat(json).doesNotContain("\"d\"").doesNotContain("BEGIN PRIVATE KEY")
                    .doesNotContain("BEGIN EC PRIVATE KEY");
            assertThat(export.toString()).doesNotContain("BEGIN").contains(ACCOUNT.toString());
        }
    }

    @Test
    void aReferenceExportCarriesTheUriAndNoKeyToDecrypt() throws Exception {
        KeyPair key = ecKey();
        String reference = "kms:alias/acme-account";

        AccountExport read = AccountExport.parse(base().keyReference(reference, key.getPublic()).build().toJson());

        assertThat(read.keyForm()).isEqualTo(AccountExport.KeyForm.REFERENCE);
        assertThat(read.keyReference()).contains(reference);
        assertThatThrownBy(() -> read.decryptKey(PASSPHRASE)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPkcs11UriWithItsPinInsideIsNeverExported() throws Exception {
        KeyPair key = ecKey();

        assertThatThrownBy(() -> base().keyReference("pkcs11:token=ops;object=acct?pin-value=1234", key.getPublic()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("1234");
    }

    @Test
    void writeRefusesAnExistingFileAndLeavesItAsItWas() throws Exception {
        Path file = dir.resolve("acct.json");
        Files.writeString(file, "precious");

        AccountFileException e = catchThrowableOfType(() -> base().publicKeyOnly(ecKey().getPublic()).build().write(file),
                AccountFileException.class);

        assertThat(e.reason()).isEqualTo(AccountFileException.Reason.EXISTS);
        assertThat(Files.readString(file)).isEqualTo("precious");
        assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void everyBadDocumentIsRefusedWithItsReason() throws Exception {
        assertThat(reasonOf("not json")).isEqualTo(AccountFileException.Reason.MALFORMED);
        assertThat(reasonOf("[]")).isEqualTo(AccountFileException.Reason.MALFORMED);
        assertThat(reasonOf("{\"format\": \"something-else\", \"version\": 1}"))
                .isEqualTo(AccountFileException.Reason.MALFORMED);
        String good = base().publicKeyOnly(ecKey().getPublic()).build().toJson();
        assertThat(reasonOf(good.replace("\"version\":1", "\"version\":2")))
                .isEqualTo(AccountFileException.Reason.UNSUPPORTED_VERSION);
        assertThat(reasonOf(good.replace("\"account\":\"https://ca.example/acct/17\"", "\"account\":\"ftp://x/1\"")))
                .isEqualTo(AccountFileException.Reason.MALFORMED);
        assertThat(reasonOf(good.replace("\"name\":\"prod\"", "\"name\":\"../etc\"")))
                .isEqualTo(AccountFileException.Reason.MALFORMED);
        assertThat(reasonOf(documentWith("\"reference\":\"kms:a\",\"encryptedPkcs8\":\"x\",")))
                .isEqualTo(AccountFileException.Reason.MALFORMED);
        assertThat(reasonOf(documentWith("\"encryptedPkcs8\":\"-----BEGIN PRIVATE KEY-----\",")))
                .isEqualTo(AccountFileException.Reason.MALFORMED);
        assertThat(reasonOf(documentWith("\"reference\":\"pkcs11:object=a?pin-value=1\",")))
                .isEqualTo(AccountFileException.Reason.MALFORMED);
    }

    @Test
    void aPublicJwkWithPrivateMembersIsRefused() throws Exception {
        KeyPair key = ecKey();
        String privateJwk = new com.nimbusds.jose.jwk.ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256,
                (java.security.interfaces.ECPublicKey) key.getPublic()).privateKey(key.getPrivate()).build().toJSONString();
        String json = base().publicKeyOnly(key.getPublic()).build().toJson()
                .replaceFirst("\"jwk\":\\{[^}]*\\}", "\"jwk\":" + java.util.regex.Matcher.quoteReplacement(privateJwk));

        assertThat(json).contains("\"d\"");
        assertThat(reasonOf(json)).isEqualTo(AccountFileException.Reason.MALFORMED);
    }

    @Test
    void anEncryptedKeyAskingForTooManyIterationsIsRefusedBeforeAnyWork() throws Exception {
        PBES2Parameters pbes2 = new PBES2Parameters(
                new KeyDerivationFunc(PKCSObjectIdentifiers.id_PBKDF2, new PBKDF2Params(new byte[16], 2_000_000_000, 32,
                        new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256))),
                new EncryptionScheme(NISTObjectIdentifiers.id_aes256_CBC, new DEROctetString(new byte[16])));
        EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(
                new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2, pbes2), new byte[64]);
        StringWriter pem = new StringWriter();
        try (PemWriter writer = new PemWriter(pem)) {
            writer.writeObject(new PemObject("ENCRYPTED PRIVATE KEY", info.getEncoded()));
        }
        AccountExport crafted = AccountExport.parse(documentWith("\"encryptedPkcs8\":"
                + dev.keyward.acme.internal.Json.write(pem.toString()) + ","));

        AccountFileException e = catchThrowableOfType(() -> crafted.decryptKey(PASSPHRASE), AccountFileException.class);

        assertThat(e.reason()).isEqualTo(AccountFileException.Reason.MALFORMED);
        assertThat(e.getMessage()).contains("2000000000").contains("iterations");
    }

    @Test
    void localNamesAreSafeFolderNames() {
        assertThat(AccountExport.isValidName("prod")).isTrue();
        assertThat(AccountExport.isValidName("le-staging_2.old")).isTrue();
        assertThat(AccountExport.isValidName("")).isFalse();
        assertThat(AccountExport.isValidName("..")).isFalse();
        assertThat(AccountExport.isValidName("a/b")).isFalse();
        assertThat(AccountExport.isValidName("-rf")).isFalse();
        assertThat(AccountExport.isValidName("x".repeat(65))).isFalse();
        assertThatThrownBy(() -> AccountExport.builder().name("a b")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String pemOf(AccountExport export) {
        String json = export.toJson();
        int start = json.indexOf("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        int end = json.indexOf("-----END ENCRYPTED PRIVATE KEY-----") + "-----END ENCRYPTED PRIVATE KEY-----".length();
        return json.substring(start, end).replace("\\n", "\n").replace("\\r", "");
    }
}
