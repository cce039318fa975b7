package dev.keyward.examples.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * Reads and writes private keys as PEM: PKCS#8 ({@code PRIVATE KEY}), and the traditional
 * {@code EC PRIVATE KEY} and {@code RSA PRIVATE KEY} forms on reading. Written files are readable
 * by their owner alone. Error messages name the file, never its contents.
 */
final class KeyFiles {
    private KeyFiles() {
    }

    static KeyPair read(Path file) throws ConfigException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair) {
                return converter.getKeyPair((PEMKeyPair) object);
            }
            if (object instanceof PrivateKeyInfo) {
                PrivateKey privateKey = converter.getPrivateKey((PrivateKeyInfo) object);
                return new KeyPair(publicKeyOf(privateKey, (PrivateKeyInfo) object, converter), privateKey);
            }
            throw new ConfigException(file + " holds no unencrypted PEM private key");
        } catch (IOException e) {
            throw new ConfigException("cannot read key file " + file + ": " + e.getClass().getSimpleName(), e);
        }
    }

    static void write(Path file, KeyPair keyPair) throws ConfigException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaPKCS8Generator(keyPair.getPrivate(), null));
        } catch (IOException e) {
            throw new ConfigException("cannot encode a key for " + file, e);
        }
        Path parent = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(file.toString());
            }
            temp = Files.createTempFile(parent, "." + file.getFileName() + ".", ".tmp", ownerOnly());
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(temp,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            // The whole file appears at once, and only one creator wins: a link never replaces.
            try {
                Files.createLink(file, temp);
            } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
                if (e instanceof FileAlreadyExistsException) {
                    throw (FileAlreadyExistsException) e;
                }
                Files.move(temp, file);
                temp = null;
            }
        } catch (FileAlreadyExistsException e) {
            throw new ConfigException("key file " + file + " exists already; not overwriting it", e);
        } catch (IOException e) {
            throw new ConfigException("cannot write key file " + file + ": " + e.getClass().getSimpleName(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // A leftover temporary file holds the same key as the one linked in place.
                }
            }
        }
    }

    /**
     * The key in {@code file}, or a new one from {@code generate} written there when the file is
     * absent (or empty, as an interrupted writer of an earlier version could leave it). When several
     * processes create the same file at once, one wins and the others read its key.
     */
    static KeyPair readOrCreate(Path file, java.util.function.Supplier<KeyPair> generate) throws ConfigException {
        try {
            if (Files.isRegularFile(file) && Files.size(file) == 0) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new ConfigException("cannot replace the empty key file " + file + ": " + e.getClass().getSimpleName(), e);
        }
        if (Files.exists(file)) {
            return read(file);
        }
        KeyPair pair = generate.get();
        try {
            write(file, pair);
            return pair;
        } catch (ConfigException e) {
            if (e.getCause() instanceof FileAlreadyExistsException) {
                return read(file);
            }
            throw e;
        }
    }

    private static java.nio.file.attribute.FileAttribute<?>[] ownerOnly() {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new java.nio.file.attribute.FileAttribute<?>[] {
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new java.nio.file.attribute.FileAttribute<?>[0];
    }

    private static PublicKey publicKeyOf(PrivateKey privateKey, PrivateKeyInfo info, JcaPEMKeyConverter converter)
            throws IOException, ConfigException {
        try {
            if (privateKey instanceof RSAPrivateCrtKey) {
                RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) privateKey;
                return KeyFactory.getInstance("RSA").generatePublic(
                        new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            }
            if (privateKey instanceof java.security.interfaces.ECPrivateKey) {
                org.bouncycastle.asn1.sec.ECPrivateKey ec =
                        org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
                if (ec.getPublicKey() != null) {
                    return converter.getPublicKey(new org.bouncycastle.asn1.x509.SubjectPublicKeyInfo(
                            info.getPrivateKeyAlgorithm(), ec.getPublicKey().getBytes()));
                }
                return derivedEcPublicKey((java.security.interfaces.ECPrivateKey) privateKey);
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new ConfigException("cannot derive the public key of a " + privateKey.getAlgorithm() + " key", e);
        }
        throw new ConfigException("unsupported key type " + privateKey.getAlgorithm() + "; use EC or RSA");
    }

    private static PublicKey derivedEcPublicKey(java.security.interfaces.ECPrivateKey key)
            throws java.security.GeneralSecurityException {
        org.bouncycastle.jce.spec.ECParameterSpec bcSpec =
                org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util.convertSpec(key.getParams());
        org.bouncycastle.math.ec.ECPoint q = bcSpec.getG().multiply(key.getS()).normalize();
        java.security.spec.ECPoint w = new java.security.spec.ECPoint(
                q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        return KeyFactory.getInstance("EC").generatePublic(new java.security.spec.ECPublicKeySpec(w, key.getParams()));
    }
}
