package dev.keyward.examples.cli;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Option;

/**
 * Where the passphrase of an encrypted account key comes from: {@code --passphrase-file FILE} (its
 * first line), {@code --passphrase-env VAR}, or else a prompt on the terminal. Never a command-line
 * value, which any user could read in the process list; never printed.
 */
final class PassphraseOptions {
    /** The shortest passphrase a new encrypted key accepts. */
    static final int MIN_LENGTH = 8;
    private static final int MAX_FILE_BYTES = 4096;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "read the key's passphrase from the first line of FILE")
    Path file;

    @Option(names = "--passphrase-env", paramLabel = "VAR",
            description = "read the key's passphrase from the environment variable VAR")
    String env;

    boolean given() {
        return file != null || env != null;
    }

    /**
     * The passphrase for a new encrypted key: at least {@value #MIN_LENGTH} characters; asked twice
     * on a terminal. The caller clears it after use.
     */
    char[] forNewKey() throws UsageException, ConfigException {
        char[] passphrase = read("Passphrase for the exported key: ");
        if (file == null && env == null) {
            char[] again = ask("The same passphrase again: ");
            boolean same = Arrays.equals(passphrase, again);
            Arrays.fill(again, '\0');
            if (!same) {
                Arrays.fill(passphrase, '\0');
                throw new UsageException("the two passphrases differ; nothing was written");
            }
        }
        if (passphrase.length < MIN_LENGTH) {
            Arrays.fill(passphrase, '\0');
            throw new UsageException("the passphrase must have at least " + MIN_LENGTH + " characters");
        }
        return passphrase;
    }

    /** The passphrase of an existing encrypted key. The caller clears it after use. */
    char[] forExistingKey() throws UsageException, ConfigException {
        return read("Passphrase of the account key in the export: ");
    }

    private char[] read(String prompt) throws UsageException, ConfigException {
        if (file != null && env != null) {
            throw new UsageException("give --passphrase-file or --passphrase-env, not both");
        }
        char[] passphrase;
        if (file != null) {
            passphrase = firstLine(file);
        } else if (env != null) {
            String value = System.getenv(env);
            if (value == null || value.isEmpty()) {
                throw new UsageException("the environment variable " + env + " given by --passphrase-env is not set");
            }
            passphrase = value.toCharArray();
        } else {
            passphrase = ask(prompt);
        }
        if (passphrase.length == 0) {
            throw new UsageException("the passphrase is empty");
        }
        return passphrase;
    }

    private static char[] ask(String prompt) throws UsageException {
        Console console = System.console();
        if (console == null) {
            throw new UsageException("no terminal to ask for the passphrase: give --passphrase-file FILE"
                    + " or --passphrase-env VAR");
        }
        char[] answer = console.readPassword("%s", prompt);
        if (answer == null) {
            throw new UsageException("no passphrase was entered");
        }
        return answer;
    }

    /** The first line of a file, without its line end; the bytes read are cleared. */
    private static char[] firstLine(Path file) throws ConfigException, UsageException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new UsageException("--passphrase-file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read --passphrase-file " + file + ": " + e.getClass().getSimpleName(), e);
        }
        try {
            if (bytes.length > MAX_FILE_BYTES) {
                throw new UsageException("--passphrase-file " + file + " is longer than " + MAX_FILE_BYTES + " bytes");
            }
            int end = 0;
            while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
                end++;
            }
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, end));
            char[] out = new char[chars.remaining()];
            chars.get(out);
            Arrays.fill(chars.array(), '\0');
            return out;
        } catch (CharacterCodingException e) {
            throw new UsageException("--passphrase-file " + file + " is not UTF-8 text");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
