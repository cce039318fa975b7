package dev.keyward.acme;

import dev.keyward.acme.internal.Json;
import dev.keyward.acme.internal.Jwks;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Private keys of accounts as other clients and Keyward's export store them: PEM (PKCS#8,
 * {@code EC PRIVATE KEY}, {@code RSA PRIVATE KEY}), private JWKs (RFC 7517, as certbot keeps them),
 * and PKCS#8 encrypted with PBES2 (RFC 8018 section 6.2). Messages name what was read, never key
 * material.
 */
final class AccountKeys {
    /** PBKDF2-HMAC-SHA256 iterations for a new encrypted key (OWASP's 2023 advice: 600,000). */
    static final int ITERATIONS = 600_000;
    /** The most iterations a key to decrypt may ask for, so a crafted file cannot hold the CPU for hours. */
    static final int MAX_ITERATIONS = 10_000_000;

    private static final ASN1ObjectIdentifier AES_256_CBC =
            org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_aes256_CBC;

    /** PBES2 with AES names its cipher with PKCS#7 padding, which only Bouncy Castle's provider offers. */
    private static final java.security.Provider BOUNCY_CASTLE = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private AccountKeys() {
    }

    /** The PEM text of {@code key} as PKCS#8 encrypted with AES-256-CBC under PBKDF2-HMAC-SHA256. */
    static String encrypt(PrivateKey key, char[] passphrase) {
        if (passphrase.length == 0) {
            throw new IllegalArgumentException("the passphrase is empty");
        }
        try {
            OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(AES_256_CBC)
                    .setPRF(org.bouncycastle.openssl.PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(ITERATIONS)
                    .setRandom(new SecureRandom())
                    .setPassword(passphrase)
                    .setProvider(BOUNCY_CASTLE)
                    .build();
            StringWriter text = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
                writer.writeObject(new JcaPKCS8Generator(key, encryptor));
            }
            return text.toString();
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot encrypt a " + key.getAlgorithm() + " key", e);
        }
    }

    /** Decrypts the PEM of an encrypted PKCS#8 key and pairs it with its public key. */
    static KeyPair decrypt(String pem, char[] passphrase, PublicKey publicKey, String what)
            throws AccountFileException {
        PKCS8EncryptedPrivateKeyInfo info;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            if (!(object instanceof PKCS8EncryptedPrivateKeyInfo)) {
                throw new AccountFileException(AccountFileException.Reason.MALFORMED,
                        what + " holds no ENCRYPTED PRIVATE KEY");
            }
            info = (PKCS8EncryptedPrivateKeyInfo) object;
        } catch (IOException | RuntimeException e) {
            throw new AccountFileException(AccountFileException.Reason.MALFORMED,
                    what + " is not a readable encrypted key", e);
        }
        requireBoundedPbes2(info.getEncryptionAlgorithm(), what);
        PrivateKeyInfo clear;
        try {
            clear = info.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BOUNCY_CASTLE).build(passphrase));
        } catch (PKCSException | OperatorCreationException | RuntimeException e) {
            throw new AccountFileException(AccountFileException.Reason.WRONG_PASSPHRASE,
                    "the passphrase does not open " + what, e);
        }
        PrivateKey privateKey;
        try {
            privateKey = new JcaPEMKeyConverter().getPrivateKey(clear);
        } catch (IOException | RuntimeException e) {
            // A wrong passphrase gives a valid padding now and then, and then garbage.
            throw new AccountFileException(AccountFileException.Reason.WRONG_PASSPHRASE,
                    "the passphrase does not open " + what, e);
        }
        KeyPair pair = new KeyPair(publicKey, privateKey);
        requireMatch(pair, what);
        return pair;
    }

    private static void requireBoundedPbes2(AlgorithmIdentifier algorithm, String what) throws AccountFileException {
        try {
            if (!PKCSObjectIdentifiers.id_PBES2.equals(algorithm.getAlgorithm())) {
                throw new AccountFileException(AccountFileException.Reason.MALFORMED,
                        what + " is not encrypted with PBES2 (RFC 8018)");
            }
            PBES2Parameters parameters = PBES2Parameters.getInstance(algorithm.getParameters());
            KeyDerivationFunc kdf = parameters.getKeyDerivationFunc();
            EncryptionScheme scheme = parameters.getEncryptionScheme();
            if (!PKCSObjectIdentifiers.id_PBKDF2.equals(kdf.getAlgorithm()) || scheme == null) {
                throw new AccountFileException(AccountFileException.Reason.MALFORMED,
                        what + " does not derive its key with PBKDF2");
            }
            java.math.BigInteger iterations = PBKDF2Params.getInstance(kdf.getParameters()).getIterationCount();
            if (iterations.signum() <= 0 || iterations.compareTo(java.math.BigInteger.valueOf(MAX_ITERATIONS)) > 0) {
                throw new AccountFileException(AccountFileException.Reason.MALFORMED,
                        what + " asks for " + iterations + " PBKDF2 iterations; at most " + MAX_ITERATIONS
                                + " are accepted");
            }
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            throw new AccountFileException(AccountFileException.Reason.MALFORMED,
                    what + " has malformed PBES2 parameters", e);
        }
    }

    /** Reads the first private key of a PEM text, with its public key (read or derived). */
    static KeyPair readPem(String pem, String what) throws AccountFileException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            KeyPair pair;
            if (object instanceof PEMKeyPair && ((PEMKeyPair) object).getPublicKeyInfo() != null) {
                pair = converter.getKeyPair((PEMKeyPair) object);
            } else if (object instanceof PrivateKeyInfo || object instanceof PEMKeyPair) {
                // A traditional EC key may leave out its optional public key (RFC 5915 section 3).
                PrivateKeyInfo info = object instanceof PEMKeyPair ? ((PEMKeyPair) object).getPrivateKeyInfo()
                        : (PrivateKeyInfo) object;
                PrivateKey privateKey = converter.getPrivateKey(info);
                pair = new KeyPair(publicKeyOf(privateKey, info, converter, what), privateKey);
            } else {
                throw new AccountFileException(AccountFileException.Reason.MALFORMED,
                        what + " holds no unencrypted PEM private key");
            }
            requireMatch(pair, what);
            return pair;
        } catch (IOException | RuntimeException e) {
            throw new AccountFileException(AccountFileException.Reason.MALFORMED, what + " is not a readable PEM key", e);
        }
    }

    /**
     * Reads a private JWK (RFC 7517; RSA or EC) into a key pair. The file is read as strictly as a
     * CA's answer ({@link Json#parseObject}): a JSON object, each member once.
     */
    static KeyPair readPrivateJwk(String json, String what) throws AccountFileException {
        java.util.Map<String, Object> members;
        try {
            members = Json.parseObject(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), what).toMap();
        } catch (AcmeProtocolException e) {
            throw new AccountFileException(AccountFileException.Reason.MALFORMED, what + " is not a readable JWK");
        }
        if (!Jwks.isPrivate(members)) {
            throw new AccountFileException(AccountFileException.Reason.MALFORMED,
                    what + " holds no private RSA or EC key");
        }
        KeyPair pair;
        try {
            pair = Jwks.toKeyPair(members);
        } catch (IllegalArgumentException e) {
            throw new AccountFileException(AccountFileException.Reason.MALFORMED,
                    what + " is not a readable JWK: " + e.getMessage());
        }
        requireMatch(pair, what);
        return pair;
    }

    /** Reads a public JWK (RFC 7517); one holding private members is refused. */
    static PublicKey readPublicJwk(java.util.Map<String, Object> members, String what) throws AccountFileException {
        if (Jwks.isPrivate(members)) {
            throw new AccountFileException(AccountFileException.Reason.MALFORMED,
                    what + " must be a public RSA or EC JWK without private members");
        }
        try {
            PublicKey key = Jwks.toPublicKey(members);
            Signers.algorithmFor(key);
            return key;
        } catch (IllegalArgumentException e) {
            throw new AccountFileException(AccountFileException.Reason.MALFORMED, what + " is not a usable public JWK: "
                    + e.getMessage(), e);
        }
    }

    /** Refuses a key an ACME signer cannot use, or a private key that is not the public key's. */
    private static void requireMatch(KeyPair pair, String what) throws AccountFileException {
        try {
            Signers.jca(pair.getPrivate(), pair.getPublic());
        } catch (IllegalArgumentException e) {
            throw new AccountFileException(AccountFileException.Reason.MALFORMED,
                    what + " holds a key Keyward cannot use: " + e.getMessage(), e);
        }
    }

    private static PublicKey publicKeyOf(PrivateKey privateKey, PrivateKeyInfo info, JcaPEMKeyConverter converter,
                                         String what) throws IOException, AccountFileException {
        try {
            if (privateKey instanceof RSAPrivateCrtKey) {
                RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) privateKey;
                return KeyFactory.getInstance("RSA").generatePublic(
                        new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            }
            if (privateKey instanceof ECPrivateKey) {
                org.bouncycastle.asn1.sec.ECPrivateKey ec =
                        org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
                if (ec.getPublicKey() != null) {
                    return converter.getPublicKey(new SubjectPublicKeyInfo(info.getPrivateKeyAlgorithm(),
                            ec.getPublicKey().getBytes()));
                }
                ECPrivateKey key = (ECPrivateKey) privateKey;
                org.bouncycastle.math.ec.ECPoint q =
                        EC5Util.convertSpec(key.getParams()).getG().multiply(key.getS()).normalize();
                return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                        new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()),
                        key.getParams()));
            }
        } catch (GeneralSecurityException e) {
            throw new AccountFileException(AccountFileException.Reason.MALFORMED,
                    "cannot derive the public key of " + what, e);
        }
        throw new AccountFileException(AccountFileException.Reason.MALFORMED,
                what + " holds a " + privateKey.getAlgorithm() + " key; use EC or RSA");
    }
}
