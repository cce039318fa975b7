package dev.keyward.acme.kms.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.RevocationReason;
import dev.keyward.acme.Signers;
import dev.keyward.acme.Status;
import dev.keyward.acme.testkit.KmsEmulator;
import dev.keyward.acme.testkit.KmsEmulator.KeySpec;
import dev.keyward.acme.testkit.PebbleExtension;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Whole ACME lifecycles against a real Pebble with the keys in the emulated KMS: issuance with the
 * account key and the certificate key in KMS (RFC 8555 section 7.4), rollover to and from a KMS key
 * (section 7.3.5), revocation signed by the KMS certificate key (section 7.6).
 */
class KmsIssuanceAgainstPebbleTest {
    @RegisterExtension
    static PebbleExtension pebble = new PebbleExtension();

    private KmsEmulator kms;
    private KmsPebbleFlow flow;
    private AcmeClient client;
    private final List<KmsSigner> signers = new ArrayList<>();

    @BeforeEach
    void start() {
        kms = KmsEmulator.start();
        flow = new KmsPebbleFlow(pebble.server());
        client = flow.client();
    }

    @AfterEach
    void stop() {
        signers.forEach(KmsSigner::close);
        client.close();
        kms.close();
    }

    private KmsSigner signer(String keyId) throws Exception {
        KmsSigner signer = EmulatedKms.signer(kms, keyId).build();
        signers.add(signer);
        return signer;
    }

    @Test
    void aCertificateIsIssuedWithTheAccountKeyAndTheCertificateKeyInKms() throws Exception {
        KmsEmulator.Key accountKey = kms.createKey(KeySpec.ECC_NIST_P256);
        KmsEmulator.Key certificateKey = kms.createKey(KeySpec.ECC_NIST_P384);
        kms.createAlias("alias/acme-account", accountKey);
        String name = KmsPebbleFlow.uniqueName("both");

        Account account = flow.register(client, signer("alias/acme-account"));
        CertificateChain chain = flow.issue(account, List.of(name), signer(certificateKey.arn()));

        assertThat(chain.leaf().getPublicKey()).isEqualTo(certificateKey.publicKey().orElseThrow());
        assertThat(chain.leaf().getSubjectAlternativeNames()).extracting(san -> (Object) san.get(1))
                .containsExactly(name);
        chain.leaf().verify(chain.issuers().get(0).getPublicKey());
        assertThat(EmulatedKms.signRequests(kms)).allSatisfy(sign -> {
            assertThat(sign.member("MessageType")).hasValue("DIGEST");
            assertThat(sign.member("KeyId")).hasValueSatisfying(id ->
                    assertThat(id).isIn(accountKey.arn(), certificateKey.arn()));
        });
        assertThat(EmulatedKms.signRequests(kms).stream().filter(s -> s.member("KeyId").orElseThrow()
                .equals(certificateKey.arn()))).as("the CSR").hasSize(1);
    }

    @Test
    void rsaKmsKeysIssueToo() throws Exception {
        KmsEmulator.Key accountKey = kms.createKey(KeySpec.RSA_3072);
        KmsEmulator.Key certificateKey = kms.createKey(KeySpec.RSA_2048);

        Account account = flow.register(client, signer(accountKey.keyId()));
        CertificateChain chain = flow.issue(account, List.of(KmsPebbleFlow.uniqueName("rsa")), signer(certificateKey.keyId()));

        assertThat(chain.leaf().getPublicKey()).isEqualTo(certificateKey.publicKey().orElseThrow());
    }

    @Test
    void anAccountRollsOverFromAFileKeyToAKmsKeyAndBack() throws Exception {
        AcmeSigner fileKey = memoryKey();
        KmsSigner kmsKey = signer(kms.createKey(KeySpec.ECC_NIST_P521).keyId());
        Account account = flow.register(client, fileKey);

        Account onKms = account.changeKey(kmsKey);
        Account foundByKmsKey = client.findAccount(kmsKey);
        Account fetchedWithKmsKey = onKms.fetch();
        Account backOnFile = onKms.changeKey(fileKey);

        assertThat(foundByKmsKey.url()).isEqualTo(account.url());
        assertThat(fetchedWithKmsKey.status()).isEqualTo(Status.VALID);
        assertThat(client.findAccount(fileKey).url()).isEqualTo(account.url());
        assertThat(backOnFile.signer()).isSameAs(fileKey);
    }

    @Test
    void aCertificateIsRevokedWithARequestSignedByItsKmsKey() throws Exception {
        KmsSigner certificateKey = signer(kms.createKey(KeySpec.ECC_NIST_P256).keyId());
        Account account = flow.register(client, memoryKey());
        X509Certificate leaf = flow.issue(account, List.of(KmsPebbleFlow.uniqueName("revoke")), certificateKey).leaf();

        client.revoke(leaf, certificateKey, RevocationReason.KEY_COMPROMISE);

        assertThat(pebble.server().isRevoked(leaf.getSerialNumber())).isTrue();
    }

    @Test
    void aDisabledKmsAccountKeyFailsTheAcmeCallWithTheTypedExceptionNamingTheKey() throws Exception {
        KmsEmulator.Key key = kms.createKey(KeySpec.ECC_NIST_P256);
        KmsSigner accountKey = signer(key.keyId());
        kms.keyState(key, KmsEmulator.KeyState.DISABLED);

        assertThatThrownBy(() -> flow.register(client, accountKey))
                .isInstanceOfSatisfying(KmsSigningException.class, e -> {
                    assertThat(e.reason()).isEqualTo(KmsSigningException.Reason.KEY_DISABLED);
                    assertThat(e.keyId()).isEqualTo(key.keyId());
                })
                .hasMessageContaining(key.arn());
    }

    private static AcmeSigner memoryKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        return Signers.jca(pair.getPrivate(), pair.getPublic());
    }
}
