package dev.keyward.examples.cli;

import dev.keyward.acme.AcmeSigner;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * The AWS KMS signer module ({@code acme-kms-aws} and the AWS SDK), loaded only when a {@code kms:}
 * key is given, so that every other command starts without it.
 *
 * <p>On the build's class path (tests, the IDE) the module is simply there. The shaded
 * {@code keyward.jar} leaves it out: it lives in {@code keyward-kms.jar}, which must lie next to
 * {@code keyward.jar} and is opened in a class loader whose parent is the CLI's, so the signer it
 * builds is the CLI's own {@link AcmeSigner} type. The module is reached by reflection through its
 * public API ({@code KmsSigners.builder().keyId(KEY).build()}), nothing else.
 */
final class KmsModule {
    /** The file name of the module's jar, next to {@code keyward.jar}. */
    static final String JAR = "keyward-kms.jar";
    private static final String SIGNERS = "dev.keyward.acme.kms.aws.KmsSigners";
    private static ClassLoader loader;

    private KmsModule() {
    }

    /**
     * Checks a key id as the module does (no whitespace, an alias with a name).
     *
     * @throws IllegalArgumentException with the module's message when the id is malformed
     */
    static void checkKeyId(String keyId) throws ConfigException {
        invoke(builder(), "keyId", keyId);
    }

    /**
     * Asks KMS for the key's public half and returns its signer, which goes to {@code resources}:
     * the command closes it and the SDK client it made.
     */
    static AcmeSigner signer(String keyId, OpenedResources resources) throws ConfigException {
        Object builder = builder();
        invoke(builder, "keyId", keyId);
        Object signer = invoke(builder, "build", null);
        resources.add((AutoCloseable) signer);
        return (AcmeSigner) signer;
    }

    private static Object builder() throws ConfigException {
        try {
            return Class.forName(SIGNERS, true, loader()).getMethod("builder").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new ConfigException("the KMS module in " + JAR + " cannot be loaded", e);
        }
    }

    private static Object invoke(Object target, String method, String argument) throws ConfigException {
        try {
            return argument == null ? target.getClass().getMethod(method).invoke(target)
                    : target.getClass().getMethod(method, String.class).invoke(target, argument);
        } catch (InvocationTargetException e) {
            // Unchecked failures pass as they are, as when the module is called directly; the
            // module's checked KmsSigningException becomes a local fault with its message.
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new ConfigException(cause.getMessage() != null ? cause.getMessage() : "KMS refused the key", cause);
        } catch (ReflectiveOperationException e) {
            throw new ConfigException("the KMS module in " + JAR + " does not match this keyward.jar", e);
        }
    }

    /** The CLI's own loader when it sees the module, else one over {@code keyward-kms.jar}. */
    private static synchronized ClassLoader loader() throws ConfigException {
        if (loader != null) {
            return loader;
        }
        ClassLoader own = KmsModule.class.getClassLoader();
        try {
            Class.forName(SIGNERS, false, own);
            loader = own;
            return loader;
        } catch (ClassNotFoundException e) {
            // the shaded jar: look next to it
        }
        Path jar = besideThisJar();
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new ConfigException("kms: keys need " + JAR + " next to keyward.jar"
                    + (jar == null ? "" : " (looked for " + jar + ")"));
        }
        try {
            loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, own);
        } catch (MalformedURLException e) {
            throw new ConfigException("cannot open " + jar, e);
        }
        return loader;
    }

    private static Path besideThisJar() {
        CodeSource source = KmsModule.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        try {
            Path location = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(location) ? location.resolveSibling(JAR) : null;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
