package dev.keyward.acme;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a new file readable by its owner alone (mode 0600 where the file system has POSIX
 * permissions), all at once, and never over an existing file: the bytes go to a temporary file in
 * the same folder, are forced to disk, and the temporary file is then linked into place, which
 * fails when the name exists, so of two writers one wins.
 */
final class PrivateFiles {
    private PrivateFiles() {
    }

    static void writeNew(Path file, byte[] content, String what) throws AccountFileException {
        Path parent = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(file.toString());
            }
            if (parent != null) {
                Files.createDirectories(parent);
            }
            temp = Files.createTempFile(parent, "." + file.getFileName() + ".", ".tmp", ownerOnly());
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.createLink(file, temp);
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (e instanceof FileAlreadyExistsException) {
                    throw (FileAlreadyExistsException) e;
                }
                // No hard links here: a move without REPLACE_EXISTING still refuses an existing name.
                Files.move(temp, file);
                temp = null;
            }
        } catch (FileAlreadyExistsException e) {
            throw new AccountFileException(AccountFileException.Reason.EXISTS,
                    what + " " + file + " exists already; not overwriting it", e);
        } catch (IOException e) {
            throw new AccountFileException(AccountFileException.Reason.IO,
                    "cannot write " + what + " " + file + ": " + ForeignFiles.ioReason(e), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // A leftover temporary file is hidden and holds what the linked file holds.
                }
            }
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }
}
